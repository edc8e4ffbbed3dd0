package io.obops.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessKeysTest {

  private static final Instant NOW = Instant.parse("2026-03-02T02:00:00Z");
  private static final Map<String, String> ENV = Map.of("OBOPS_AK_CI", "env-secret");

  @TempDir Path dir;

  private AccessKeys keys(ApiTokenProperties.AccessKey... keys) {
    return new AccessKeys(List.of(keys), ENV::get);
  }

  private static String date(Instant at) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).format(at);
  }

  private static OcpSignature.Request get(String date) {
    return new OcpSignature.Request(
        "GET", new byte[0], null, date, "h:1", Map.of(), "/api/v2/ob/clusters", null);
  }

  private static String header(String id, String secret, OcpSignature.Request r) {
    return "OCP-ACCESS-KEY-HMACSHA1 "
        + id
        + ":"
        + OcpSignature.sign(secret.getBytes(StandardCharsets.UTF_8), OcpSignature.stringToSign(r));
  }

  @Test
  void aSecretIsReadFromAFileWithoutItsTrailingNewlineOrFromTheEnvironment() throws Exception {
    Path file = dir.resolve("ak");
    Files.writeString(file, "file-secret\n");
    AccessKeys k =
        keys(
            new ApiTokenProperties.AccessKey("AK1", "ci", file.toString(), null),
            new ApiTokenProperties.AccessKey("AK2", "cd", null, "OBOPS_AK_CI"));
    OcpSignature.Request r = get(date(NOW));

    AccessKeys.Verdict fromFile = k.verify(header("AK1", "file-secret", r), r, NOW);
    AccessKeys.Verdict fromEnv = k.verify(header("AK2", "env-secret", r), r, NOW);

    assertThat(fromFile.accepted()).isTrue();
    assertThat(fromFile.principal()).isEqualTo("api:ci");
    assertThat(fromEnv.principal()).isEqualTo("api:cd");
  }

  @Test
  void aClientThatSignsOcpHeaderNamesAsItWroteThemIsAcceptedToo() {
    AccessKeys k = keys(new ApiTokenProperties.AccessKey("AK2", "cd", null, "OBOPS_AK_CI"));
    var headers = new java.util.TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
    headers.put("X-OCP-Origin", List.of("sdk"));
    headers.put("x-ocp-a", List.of("1"));
    String date = "Mon, 02 Mar 2026 02:00:00 GMT";
    var r =
        new OcpSignature.Request(
            "GET", new byte[0], null, date, "h:1", headers, "/api/v2/ob/clusters", null);
    // Computed with Python's hmac (secret s3cr3t) over the names as written, sorted as Python does.
    assertThat(
            OcpSignature.sign(
                "s3cr3t".getBytes(StandardCharsets.UTF_8), OcpSignature.stringToSign(r, false)))
        .isEqualTo("8xKeCOMyVM5wZO1ipE/GEqWTjnQ=");
    String asWritten =
        "OCP-ACCESS-KEY-HMACSHA1 AK2:"
            + OcpSignature.sign(
                "env-secret".getBytes(StandardCharsets.UTF_8), OcpSignature.stringToSign(r, false));

    assertThat(k.verify(header("AK2", "env-secret", r), r, NOW).accepted()).isTrue();
    assertThat(k.verify(asWritten, r, NOW).accepted()).isTrue();
  }

  static Stream<Arguments> skews() {
    return Stream.of(
        Arguments.of(Duration.ofMinutes(15), null),
        Arguments.of(Duration.ofMinutes(-15), null),
        Arguments.of(Duration.ofMinutes(15).plusSeconds(1), AccessKeys.Failure.STALE_DATE),
        Arguments.of(Duration.ofMinutes(-15).minusSeconds(1), AccessKeys.Failure.STALE_DATE),
        Arguments.of(Duration.ofDays(-365), AccessKeys.Failure.STALE_DATE));
  }

  @ParameterizedTest(name = "a Date {0} from the server''s clock: {1}")
  @MethodSource("skews")
  void aDateMoreThanFifteenMinutesFromTheServersClockIsStale(
      Duration skew, AccessKeys.Failure expected) {
    AccessKeys k = keys(new ApiTokenProperties.AccessKey("AK2", "cd", null, "OBOPS_AK_CI"));
    OcpSignature.Request r = get(date(NOW.plus(skew)));

    assertThat(k.verify(header("AK2", "env-secret", r), r, NOW).failure()).isEqualTo(expected);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("OCP-ACCESS-KEY-HMACSHA1 AK2", AccessKeys.Failure.MALFORMED),
        Arguments.of("OCP-ACCESS-KEY-HMACSHA1 AK2:", AccessKeys.Failure.MALFORMED),
        Arguments.of("OCP-ACCESS-KEY-HMACSHA1 AK9:abc=", AccessKeys.Failure.UNKNOWN_KEY),
        Arguments.of("OCP-ACCESS-KEY-HMACSHA1 AK2:abc=", AccessKeys.Failure.BAD_SIGNATURE));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("refusals")
  void aHeaderThatIsMalformedNamesAnUnknownKeyOrCarriesAnotherSignatureIsRefused(
      String header, AccessKeys.Failure expected) {
    AccessKeys k = keys(new ApiTokenProperties.AccessKey("AK2", "cd", null, "OBOPS_AK_CI"));
    assertThat(k.verify(header, get(date(NOW)), NOW).failure()).isEqualTo(expected);
  }

  @Test
  void aMissingOrUnreadableDateIsRefusedBeforeTheSignatureIsChecked() {
    AccessKeys k = keys(new ApiTokenProperties.AccessKey("AK2", "cd", null, "OBOPS_AK_CI"));
    assertThat(k.verify("OCP-ACCESS-KEY-HMACSHA1 AK2:x", get(null), NOW).failure())
        .isEqualTo(AccessKeys.Failure.NO_DATE);
    assertThat(
            k.verify("OCP-ACCESS-KEY-HMACSHA1 AK2:x", get("2026-03-02T02:00:00Z"), NOW).failure())
        .isEqualTo(AccessKeys.Failure.BAD_DATE);
  }

  static Stream<Arguments> badConfigurations() {
    return Stream.of(
        Arguments.of(new ApiTokenProperties.AccessKey("AK1", "ci", null, null), "exactly one of"),
        Arguments.of(
            new ApiTokenProperties.AccessKey("AK1", "ci", "/x", "OBOPS_AK_CI"), "exactly one of"),
        Arguments.of(
            new ApiTokenProperties.AccessKey("AK1", "ci", null, "OBOPS_AK_UNSET"),
            "OBOPS_AK_UNSET, which is not set"),
        Arguments.of(
            new ApiTokenProperties.AccessKey("AK1", "ci", "/nonexistent/ak", null),
            "/nonexistent/ak cannot be read"),
        Arguments.of(new ApiTokenProperties.AccessKey("A K", "ci", null, "OBOPS_AK_CI"), "'id'"),
        Arguments.of(
            new ApiTokenProperties.AccessKey("AK1", "c i", null, "OBOPS_AK_CI"), "'name'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badConfigurations")
  void aBadAccessKeyEntryStopsStartUpNamingTheEntryAndTheField(
      ApiTokenProperties.AccessKey key, String says) {
    assertThatThrownBy(() -> keys(key))
        .isInstanceOf(AccessConfigException.class)
        .hasMessageContaining("obops.api.access-keys[0]")
        .hasMessageContaining(says)
        .hasMessageNotContaining("env-secret");
  }

  @Test
  void anEmptySecretFileAndARepeatedIdAreRefused() throws Exception {
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");
    assertThatThrownBy(
            () -> keys(new ApiTokenProperties.AccessKey("AK1", "ci", empty.toString(), null)))
        .hasMessageContaining("is empty");
    assertThatThrownBy(
            () ->
                keys(
                    new ApiTokenProperties.AccessKey("AK1", "ci", null, "OBOPS_AK_CI"),
                    new ApiTokenProperties.AccessKey("AK1", "cd", null, "OBOPS_AK_CI")))
        .hasMessageContaining("obops.api.access-keys[1]")
        .hasMessageContaining("repeats 'AK1'");
  }

  @Test
  void anApiUserNeedsAHashWithItsEncoderIdNeverAPassword() {
    assertThatThrownBy(
            () -> new ApiUsers(List.of(new ApiTokenProperties.User("ci", "plain-password"))))
        .isInstanceOf(AccessConfigException.class)
        .hasMessageContaining("obops.api.users[0] (name ci): field 'password-hash'")
        .hasMessageNotContaining("plain-password");
  }
}

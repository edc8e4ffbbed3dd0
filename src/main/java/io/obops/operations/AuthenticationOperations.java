package io.obops.operations;

import io.obops.access.AccessKeys;
import io.obops.access.Surface;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The REST API's sign-ins, as far as they need the database: refused sign-ins are audited (which
 * scheme, who the credential claimed to be — the principal of a known key or user, else {@value
 * #UNKNOWN} — and why, never the secret; a request without any credential claims nobody and is not
 * audited), and a signed state-changing request is accepted once ({@link #firstUse}): the same
 * signature again within the Date window is a replay, refused on every replica alike.
 */
public final class AuthenticationOperations {

  /** The audit's principal for a credential that names nobody obops knows. */
  public static final String UNKNOWN = "unknown";

  /** The audit action of a refused sign-in. */
  public static final String ACTION = "api.authenticate";

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(AuthenticationOperations.class);

  private final AuditLog audit;
  private final JdbcClient jdbc;
  private final Clock clock;

  AuthenticationOperations(AuditLog audit, JdbcClient jdbc, Clock clock) {
    this.audit = audit;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Records the use of a verified signature of a state-changing request: true the first time, false
   * when the same key's same signature was used before (a replay). A signature is only accepted
   * while its Date is within {@link AccessKeys#MAX_SKEW} of the clock, so uses older than twice
   * that are forgotten.
   */
  public boolean firstUse(String keyId, String signature) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    jdbc.sql("delete from api_signature_use where used_at < ?")
        .param(now.minus(AccessKeys.MAX_SKEW.multipliedBy(2)))
        .update();
    try {
      jdbc.sql("insert into api_signature_use (key_id, signature, used_at) values (?, ?, ?)")
          .params(keyId, signature, now)
          .update();
      return true;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  /**
   * Records a refused sign-in.
   *
   * @param principal the known principal the credential claimed, or null
   * @param scheme the scheme ({@code Bearer}, {@code Basic}, {@code OCP-ACCESS-KEY-HMACSHA1})
   * @param reason why, in words without any secret
   */
  public void refused(String principal, String scheme, String reason) {
    log.info(
        "API sign-in refused for {}: {}",
        principal == null ? UNKNOWN : principal,
        printable(scheme + ": " + reason));
    audit.record(
        new AuditEntry(
                principal == null ? UNKNOWN : principal,
                Surface.API.wire(),
                ACTION,
                "REFUSED",
                null,
                null,
                null,
                null)
            .detail(printable(scheme + ": " + reason)));
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return out.toString();
  }
}

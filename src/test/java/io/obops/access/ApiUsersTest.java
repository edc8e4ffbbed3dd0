package io.obops.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class ApiUsersTest {

  private static final String HASH = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("right");

  private final ApiUsers users =
      new ApiUsers(
          List.of(
              new ApiTokenProperties.User("ci", HASH),
              new ApiTokenProperties.User("odd", "{nosuchencoder}abc")));

  @Test
  void theRightPasswordActsAsApiName() {
    assertThat(users.principal("ci", "right")).contains("api:ci");
  }

  @Test
  void aWrongPasswordAnUnknownNameAndAnUnknownEncoderAreRefusedAlike() {
    assertThat(users.principal("ci", "wrong")).isEmpty();
    assertThat(users.principal("nobody", "right")).isEmpty();
    assertThat(users.principal("odd", "abc")).isEmpty();
    assertThat(users.principal(null, null)).isEmpty();
  }

  @Test
  void onlyConfiguredNamesExistForTheAudit() {
    assertThat(users.exists("ci")).isTrue();
    assertThat(users.exists("nobody")).isFalse();
  }
}

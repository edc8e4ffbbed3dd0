package io.obops.api;

import io.obops.access.Actor;
import io.obops.access.Surface;
import java.security.Principal;
import java.util.Set;

/** The actor behind an authenticated API call: the {@code api:<name>} its credential stands for. */
final class ApiActors {

  private ApiActors() {}

  static Actor of(Principal principal) {
    if (principal == null) {
      throw new ApiException(
          org.springframework.http.HttpStatus.UNAUTHORIZED, ApiSecurity.NO_CREDENTIALS);
    }
    return new Actor(principal.getName(), Set.of(), Surface.API);
  }
}

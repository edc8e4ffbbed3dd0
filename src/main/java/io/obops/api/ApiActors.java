package io.obops.api;

import io.obops.access.Actor;
import io.obops.access.Surface;
import java.security.Principal;
import java.util.Set;

/** The actor behind an authenticated API call: its token's {@code api:<name>} principal. */
final class ApiActors {

  private ApiActors() {}

  static Actor of(Principal principal) {
    if (principal == null) {
      throw new ApiException(
          org.springframework.http.HttpStatus.UNAUTHORIZED,
          "no API token: send the header 'Authorization: Bearer <token>'");
    }
    return new Actor(principal.getName(), Set.of(), Surface.API);
  }
}

package io.obops.api;

import io.obops.access.AccessKeys;
import io.obops.access.ApiTokenProperties;
import io.obops.access.ApiTokens;
import io.obops.access.ApiUsers;
import io.obops.operations.AuthenticationOperations;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * Spring Security for the REST API: authentication only. Every endpoint needs a credential except
 * {@code /actuator/health}: a bearer token, an API user's HTTP Basic login, or OCP's access-key
 * signature ({@link ApiAuthenticationFilter}), each standing for {@code api:<name>}; a 401 comes in
 * OCP's error envelope with a message that says which scheme failed, why, and what to do.
 * Stateless: no session, no cookie, so no CSRF surface. What a principal may do is decided in the
 * operations layer ({@code io.obops.operations}) on the resolved cluster, never from a URL.
 * Requests Spring Security's firewall rejects (odd methods, control characters in headers) get a
 * 400 in the envelope; {@link StrictPaths} refuses non-plain API paths before this chain.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ApiTokenProperties.class)
class ApiSecurity {

  private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

  @Bean
  ApiTokens apiTokens(ApiTokenProperties properties) {
    ApiTokens tokens = new ApiTokens(properties.tokens());
    if (tokens.size() == 0) {
      log.warn("no API tokens configured (obops.api.tokens): every API call will be refused");
    }
    return tokens;
  }

  @Bean
  ApiUsers apiUsers(ApiTokenProperties properties) {
    return new ApiUsers(properties.users());
  }

  @Bean
  AccessKeys accessKeys(ApiTokenProperties properties) {
    AccessKeys keys = new AccessKeys(properties.accessKeys());
    log.info(
        "REST API credentials: {} bearer token(s), {} Basic user(s), {} access key(s)",
        properties.tokens().size(),
        properties.users().size(),
        keys.size());
    return keys;
  }

  @Bean
  StrictPaths strictPaths(OcpResponses responses, ObjectMapper json) {
    return new StrictPaths(responses, json);
  }

  @Bean
  ContainerErrors containerErrors(OcpResponses responses, ObjectMapper json) {
    return new ContainerErrors(responses, json);
  }

  /** The firewall's rejections in OCP's error envelope (400), never a container error page. */
  @Bean
  RequestRejectedHandler ocpRequestRejectedHandler(OcpResponses responses, ObjectMapper json) {
    return (request, response, e) ->
        write(
            json,
            response,
            responses.error(
                request,
                HttpStatus.BAD_REQUEST,
                "the request was rejected as malformed; send a plain path, a standard method"
                    + " and printable headers"));
  }

  /** No user names and passwords: keeps Boot from generating (and logging) a default password. */
  @Bean
  UserDetailsService noPasswordUsers() {
    return new InMemoryUserDetailsManager();
  }

  @Bean
  SecurityFilterChain apiSecurityChain(
      HttpSecurity http,
      ApiTokens tokens,
      ApiUsers users,
      AccessKeys keys,
      Clock clock,
      AuthenticationOperations authentications,
      OcpResponses responses,
      ObjectMapper json)
      throws Exception {
    http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(
            new ApiAuthenticationFilter(tokens, users, keys, clock, authentications),
            BasicAuthenticationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (request, response, ex) -> {
                          if (users.size() > 0) {
                            response.setHeader("WWW-Authenticate", "Basic realm=\"obops api\"");
                          }
                          write(
                              json,
                              response,
                              responses.error(
                                  request, HttpStatus.UNAUTHORIZED, unauthorized(request)));
                        })
                    .accessDeniedHandler(
                        (request, response, ex) ->
                            write(
                                json,
                                response,
                                responses.error(
                                    request,
                                    HttpStatus.FORBIDDEN,
                                    "this credential may not call "
                                        + request.getMethod()
                                        + " "
                                        + request.getRequestURI()
                                        + "; ask an obops operator for a role that allows it"))));
    return http.build();
  }

  private static String unauthorized(HttpServletRequest request) {
    if (request.getAttribute(ApiAuthenticationFilter.FAILURE) instanceof String failure) {
      return failure;
    }
    return NO_CREDENTIALS;
  }

  /** The 401's message when the request carries no credential. */
  static final String NO_CREDENTIALS =
      "no API token or other credential: send the header 'Authorization: Bearer <token>', an"
          + " API user's HTTP Basic login, or OCP's 'Authorization: OCP-ACCESS-KEY-HMACSHA1"
          + " <accessKeyId>:<signature>' with a Date header; obops operators configure them"
          + " (obops.api.tokens, obops.api.users, obops.api.access-keys)";

  private static void write(ObjectMapper json, HttpServletResponse response, OcpErrorResponse body)
      throws IOException {
    response.setStatus(body.status());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), body);
  }
}

package io.obops.api;

import io.obops.access.ApiTokenProperties;
import io.obops.access.ApiTokens;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Spring Security for the REST API: authentication only. Every endpoint needs a valid bearer token
 * except {@code /actuator/health}; a 401 comes in OCP's error envelope with a message that says
 * what to do. Stateless: no session, no cookie, so no CSRF surface. What a principal may do is
 * decided in the operations layer ({@code io.obops.operations}) on the resolved cluster, never from
 * a URL. Requests Spring Security's firewall rejects (odd methods, control characters in headers)
 * get a 400 in the envelope; {@link StrictPaths} refuses non-plain API paths before this chain.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ApiTokenProperties.class)
public class ApiSecurity {

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
      HttpSecurity http, ApiTokens tokens, OcpResponses responses, ObjectMapper json)
      throws Exception {
    http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(new BearerTokenFilter(tokens), BasicAuthenticationFilter.class)
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
                        (request, response, ex) ->
                            write(
                                json,
                                response,
                                responses.error(
                                    request, HttpStatus.UNAUTHORIZED, unauthorized(request))))
                    .accessDeniedHandler(
                        (request, response, ex) ->
                            write(
                                json,
                                response,
                                responses.error(
                                    request,
                                    HttpStatus.FORBIDDEN,
                                    "this token may not call "
                                        + request.getMethod()
                                        + " "
                                        + request.getRequestURI()
                                        + "; ask an obops operator for a role that allows it"))));
    return http.build();
  }

  private static String unauthorized(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || header.isBlank()) {
      return "no API token: send the header 'Authorization: Bearer <token>'; obops operators"
          + " issue tokens (obops.api.tokens)";
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "the Authorization header must be 'Bearer <token>'";
    }
    return "the API token is not valid (unknown or revoked); ask an obops operator for a current"
        + " one";
  }

  private static void write(ObjectMapper json, HttpServletResponse response, OcpErrorResponse body)
      throws IOException {
    response.setStatus(body.status());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), body);
  }

  /** Authenticates {@code Authorization: Bearer <token>} as {@code api:<name>}; never logs it. */
  static final class BearerTokenFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;

    BearerTokenFilter(ApiTokens tokens) {
      this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      String header = request.getHeader("Authorization");
      if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        tokens
            .principal(header.substring(7).trim())
            .ifPresent(
                principal -> {
                  var auth =
                      UsernamePasswordAuthenticationToken.authenticated(principal, null, List.of());
                  var context = SecurityContextHolder.createEmptyContext();
                  context.setAuthentication(auth);
                  SecurityContextHolder.setContext(context);
                });
      }
      try {
        chain.doFilter(request, response);
      } finally {
        SecurityContextHolder.clearContext();
      }
    }
  }
}

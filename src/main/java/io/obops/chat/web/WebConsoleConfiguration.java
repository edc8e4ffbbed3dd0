package io.obops.chat.web;

import io.obops.chat.ChatGateway;
import io.obops.chat.ChatService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * The web console: its platform connected to the chat core, and its own security filter chain
 * (ordered before the API's bearer-token chain, matching only the console's paths). In the embedded
 * default the console is open on the machine it runs on and people pick who they are; otherwise it
 * needs HTTP Basic logins from {@code obops.console.users}, and without users it is switched off
 * (its paths answer 403). Either way a POST must carry {@code X-Obops-Console: 1}, which a page
 * from another origin cannot send without a CORS preflight that obops never grants (CSRF).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
public class WebConsoleConfiguration {

  /** The console is served: enabled, and embedded or with logins configured. */
  static final String ACTIVE =
      "${obops.console.enabled:true} and (${obops.embedded:false}"
          + " or '${obops.console.users[0].name:}' != '')";

  private static final Logger log = LoggerFactory.getLogger(WebConsoleConfiguration.class);
  private static final String[] PATHS = {"/", "/index.html", "/console/**", "/favicon.ico"};

  @Bean
  @ConditionalOnExpression(ACTIVE)
  WebChatPlatform webChatPlatform(JdbcClient jdbc, ObjectMapper json, Clock clock) {
    return new WebChatPlatform(jdbc, json, clock);
  }

  @Bean
  @ConditionalOnExpression(ACTIVE)
  ChatGateway webChatGateway(ChatService chat, WebChatPlatform platform) {
    return chat.connect(platform);
  }

  @Bean
  @Order(1)
  SecurityFilterChain consoleSecurityChain(
      HttpSecurity http,
      ConsoleProperties properties,
      @Value("${obops.embedded:false}") boolean embedded)
      throws Exception {
    http.securityMatcher(PATHS)
        .csrf(c -> c.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(new ConsoleHeaderFilter(), BasicAuthenticationFilter.class);
    if (!properties.enabled()) {
      http.httpBasic(b -> b.disable()).authorizeHttpRequests(a -> a.anyRequest().denyAll());
      return http.build();
    }
    if (embedded) {
      http.httpBasic(b -> b.disable()).authorizeHttpRequests(a -> a.anyRequest().permitAll());
      return http.build();
    }
    if (properties.users().isEmpty()) {
      log.info("web console off: not the embedded default and no obops.console.users configured");
      http.httpBasic(b -> b.disable()).authorizeHttpRequests(a -> a.anyRequest().denyAll());
      return http.build();
    }
    var users = new InMemoryUserDetailsManager();
    for (ConsoleProperties.User u : properties.users()) {
      users.createUser(User.withUsername(u.name()).password(u.passwordHash()).build());
    }
    var provider = new DaoAuthenticationProvider(users);
    provider.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
    http.httpBasic(b -> b.realmName("obops console"))
        .authenticationManager(new ProviderManager(provider))
        .authorizeHttpRequests(a -> a.anyRequest().authenticated());
    log.info("web console: HTTP Basic login for {} user(s)", properties.users().size());
    return http.build();
  }

  /** Refuses a state-changing console call without {@code X-Obops-Console: 1}. */
  static final class ConsoleHeaderFilter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      if (!"GET".equals(request.getMethod())
          && !"HEAD".equals(request.getMethod())
          && !"1".equals(request.getHeader("X-Obops-Console"))) {
        response.sendError(403, "console calls need the header X-Obops-Console: 1");
        return;
      }
      chain.doFilter(request, response);
    }
  }
}

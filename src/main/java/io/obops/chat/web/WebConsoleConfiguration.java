package io.obops.chat.web;

import io.obops.chat.ChatGateway;
import io.obops.chat.ChatService;
import io.obops.core.ClusterId;
import io.obops.operations.ClusterOperations;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
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
import tools.jackson.databind.ObjectMapper;

/**
 * The web console: its platform connected to the chat core, and its own security filter chain
 * (ordered before the API's bearer-token chain, matching only the console's paths).
 *
 * <ul>
 *   <li>With {@code obops.console.users}: HTTP Basic logins, always (also in the embedded default).
 *   <li>Without users but with {@code obops.console.identity-picker} (the embedded default): no
 *       login, people pick who they are; keep the server on loopback ({@code server.address}), a
 *       warning says so otherwise.
 *   <li>Neither: the console is off, its paths answer 403.
 * </ul>
 *
 * Before any of that, {@link ConsoleRequestGuard} refuses a request addressed to a name that is not
 * the console's (DNS rebinding) and a state-changing call from another origin.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class WebConsoleConfiguration {

  /** The console is served: enabled, and with logins or the identity picker. */
  static final String ACTIVE =
      "${obops.console.enabled:true} and (${obops.console.identity-picker:false}"
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
  @ConditionalOnExpression(ACTIVE)
  ConsoleStreams consoleStreams() {
    return new ConsoleStreams();
  }

  @Bean
  @ConditionalOnExpression(ACTIVE)
  MessageScopes consoleMessageScopes(JdbcClient jdbc) {
    return new MessageScopes(jdbc);
  }

  /** {@code cluster.view}, answered by the operations layer like every other read. */
  @Bean
  @ConditionalOnExpression(ACTIVE)
  ClusterVisibility consoleClusterVisibility(ClusterOperations clusters) {
    return (actor, clusterId) -> clusters.mayView(actor, new ClusterId(clusterId));
  }

  @Bean
  @Order(1)
  SecurityFilterChain consoleSecurityChain(
      HttpSecurity http, ConsoleProperties properties, Environment env) throws Exception {
    http.securityMatcher(PATHS)
        .csrf(c -> c.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(
            new ConsoleRequestGuard(properties.allowedHosts()), BasicAuthenticationFilter.class);
    if (!properties.enabled()) {
      http.httpBasic(b -> b.disable()).authorizeHttpRequests(a -> a.anyRequest().denyAll());
      return http.build();
    }
    if (properties.loginsRequired()) {
      var users = new InMemoryUserDetailsManager();
      for (ConsoleProperties.User u : properties.users()) {
        users.createUser(User.withUsername(u.name()).password(u.passwordHash()).build());
      }
      var provider = new DaoAuthenticationProvider(users);
      provider.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
      http.httpBasic(b -> b.realmName("obops console"))
          .authenticationManager(new ProviderManager(provider))
          .authorizeHttpRequests(a -> a.anyRequest().authenticated());
      log.info(
          "web console: HTTP Basic login for {} user(s){}",
          properties.users().size(),
          properties.identityPicker()
              ? " (the identity picker is off: logins are configured)"
              : "");
      return http.build();
    }
    if (properties.picksIdentity()) {
      String address = env.getProperty("server.address", "");
      if (!isLoopbackAddress(address)) {
        log.warn(
            "web console WITHOUT LOGIN (identity picker) listens on {}: anyone who reaches this"
                + " port acts as any web: person of the access file. Set server.address=127.0.0.1,"
                + " or configure obops.console.users",
            address.isEmpty() ? "all interfaces" : address);
      }
      http.httpBasic(b -> b.disable()).authorizeHttpRequests(a -> a.anyRequest().permitAll());
      return http.build();
    }
    log.info("web console off: no obops.console.users configured and no identity picker");
    http.httpBasic(b -> b.disable()).authorizeHttpRequests(a -> a.anyRequest().denyAll());
    return http.build();
  }

  static boolean isLoopbackAddress(String address) {
    return address.equals("localhost")
        || address.equals("::1")
        || address.equals("[::1]")
        || address.matches("127\\.[0-9.]+");
  }
}

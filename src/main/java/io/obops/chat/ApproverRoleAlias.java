package io.obops.chat;

import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the retired {@code obops.discord.approver-role-id=<id>} working: it becomes {@code
 * obops.chat.approver-role=discord-role:<id>}, the one approver-role setting, with a warning. When
 * both are set and disagree, start-up stops and says which to keep.
 */
public final class ApproverRoleAlias implements EnvironmentPostProcessor {

  static final String RETIRED = "obops.discord.approver-role-id";
  static final String CURRENT = "obops.chat.approver-role";

  private final Log log;

  public ApproverRoleAlias(DeferredLogFactory logs) {
    this.log = logs.getLog(ApproverRoleAlias.class);
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication app) {
    Binder binder = Binder.get(environment);
    String retired = binder.bind(RETIRED, String.class).map(String::strip).orElse("");
    if (retired.isEmpty()) {
      return;
    }
    if (!retired.matches("[0-9]{1,20}")) {
      throw new IllegalStateException(
          RETIRED
              + " is '"
              + retired
              + "', not a Discord role id; replace it with "
              + CURRENT
              + "=discord-role:<role id>");
    }
    String wanted = "discord-role:" + retired;
    String current = binder.bind(CURRENT, String.class).map(String::strip).orElse("");
    if (!current.isEmpty() && !current.equals(wanted)) {
      throw new IllegalStateException(
          RETIRED
              + " ("
              + retired
              + ") and "
              + CURRENT
              + " ("
              + current
              + ") disagree; remove "
              + RETIRED
              + ", it is replaced by "
              + CURRENT);
    }
    if (current.isEmpty()) {
      environment
          .getPropertySources()
          .addLast(new MapPropertySource("obopsApproverRoleAlias", Map.of(CURRENT, wanted)));
    }
    log.warn(RETIRED + " is retired; read as " + CURRENT + "=" + wanted + ". Set that instead.");
  }
}

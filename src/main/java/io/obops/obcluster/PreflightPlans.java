package io.obops.obcluster;

import io.obops.cluster.PreflightPlan;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The latest pre-flight plan of each task ({@code preflight_plan}): written when the request is
 * made and replaced, one version up, by each refresh. Callers hold the transaction, if any.
 */
public final class PreflightPlans {

  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final TypeReference<List<PreflightPlan.Finding>> FINDINGS =
      new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final Clock clock;

  public PreflightPlans(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The version the next plan of this task gets. */
  int nextVersion(long taskId) {
    return find(taskId).map(p -> p.version() + 1).orElse(1);
  }

  /** Records the plan as the task's latest, unless a newer version is already stored. */
  void save(long taskId, PreflightPlan plan) {
    String findings = JSON.writeValueAsString(plan.servers());
    int updated =
        jdbc.sql(
                "update preflight_plan set version = ?, inspected_at = ?, took_ms = ?, plan_hash"
                    + " = ?, findings = ? where task_id = ? and version < ?")
            .params(
                plan.version(),
                plan.inspectedAt(),
                plan.tookMillis(),
                plan.hash(),
                findings,
                taskId,
                plan.version())
            .update();
    if (updated == 0 && find(taskId).isEmpty()) {
      jdbc.sql(
              "insert into preflight_plan (task_id, version, inspected_at, took_ms, plan_hash,"
                  + " findings) values (?, ?, ?, ?, ?, ?)")
          .params(
              taskId, plan.version(), plan.inspectedAt(), plan.tookMillis(), plan.hash(), findings)
          .update();
    }
  }

  public Optional<PreflightPlan> find(long taskId) {
    return jdbc.sql(
            "select version, inspected_at, took_ms, findings from preflight_plan where task_id = ?")
        .param(taskId)
        .query(
            (rs, n) -> {
              OffsetDateTime at = rs.getObject("inspected_at", OffsetDateTime.class);
              return new PreflightPlan(
                  rs.getInt("version"),
                  at.atZoneSameInstant(clock.getZone()).toOffsetDateTime(),
                  rs.getLong("took_ms"),
                  JSON.readValue(rs.getString("findings"), FINDINGS));
            })
        .optional();
  }
}

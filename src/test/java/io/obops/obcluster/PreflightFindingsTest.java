package io.obops.obcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ClusterSnapshot;
import io.obops.cluster.PreflightPlan;
import io.obops.cluster.PreflightPlan.Access;
import io.obops.cluster.PreflightPlan.AnomalyKind;
import io.obops.cluster.PreflightPlan.Finding;
import io.obops.cluster.PreflightPlan.Observer;
import io.obops.obcluster.ObserverProcessControl.PidFile;
import io.obops.obcluster.ObserverProcessControl.Reach;
import io.obops.obcluster.ObserverProcessControl.Survey;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each survey of a host means for the approver: observer state and anomalies. */
class PreflightFindingsTest {

  static final ClusterSnapshot.Server SERVER =
      new ClusterSnapshot.Server(5, "zone1", "10.0.0.5", 22, "admin", "/home/admin/ob", 2881, 2882);

  static Survey survey(PidFile pidFile, boolean mysqlHeld, boolean rpcHeld) {
    return new Survey(
        Reach.REACHABLE,
        null,
        pidFile,
        4242,
        pidFile == PidFile.RUNNING ? 3600 : -1,
        Map.of(2881, mysqlHeld, 2882, rpcHeld),
        pidFile == PidFile.FOREIGN ? "/usr/bin/sleep" : null);
  }

  @ParameterizedTest(name = "pid file {0}, 2881 held {1}, 2882 held {2}: {3}, {4}")
  @CsvSource({
    "RUNNING, true,  true,  RUNNING,     ''",
    "RUNNING, true,  false, RUNNING,     PORT_NOT_LISTENING",
    "ABSENT,  false, false, NOT_RUNNING, ''",
    "ABSENT,  true,  false, NOT_RUNNING, PORT_HELD_BY_OTHER",
    "DEAD,    false, false, NOT_RUNNING, STALE_PID_FILE",
    "DEAD,    false, true,  NOT_RUNNING, STALE_PID_FILE PORT_HELD_BY_OTHER",
    "FOREIGN, false, false, NOT_RUNNING, FOREIGN_PID_FILE",
    "FOREIGN, true,  true,  UNKNOWN,     FOREIGN_PID_FILE PORT_HELD_BY_OTHER PORT_HELD_BY_OTHER",
    "GARBAGE, false, false, NOT_RUNNING, FOREIGN_PID_FILE",
  })
  void aReachableHostsSurveyBecomesItsObserverStateAndAnomalies(
      PidFile pidFile, boolean mysql, boolean rpc, Observer observer, String anomalies) {
    Finding f = Preflight.finding(SERVER, survey(pidFile, mysql, rpc));

    assertThat(f.access()).isEqualTo(Access.REACHABLE);
    assertThat(f.observer()).isEqualTo(observer);
    assertThat(f.pid()).isEqualTo(pidFile == PidFile.RUNNING ? 4242 : 0);
    assertThat(f.anomalies())
        .extracting(a -> a.kind().name())
        .containsExactlyElementsOf(
            anomalies.isBlank() ? List.of() : List.of(anomalies.trim().split(" +")));
  }

  @ParameterizedTest(name = "{0} is the anomaly {1}")
  @CsvSource({
    "UNREACHABLE,       UNREACHABLE",
    "HOST_KEY_REJECTED, HOST_KEY_REJECTED",
    "LOGIN_REFUSED,     LOGIN_REFUSED",
    "FAILED,            NOT_INSPECTED",
  })
  void aHostThatCouldNotBeInspectedIsAnAnomalyNotAnError(Reach reach, AnomalyKind kind) {
    Finding f = Preflight.finding(SERVER, Survey.failed(reach, "what happened on 10.0.0.5"));

    assertThat(f.observer()).isEqualTo(Observer.UNKNOWN);
    assertThat(f.anomalies())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(kind);
              assertThat(a.detail()).isEqualTo("what happened on 10.0.0.5");
            });
  }

  @Test
  void thePlansHashIgnoresWhenItWasInspectedAndUptimesButNotWhatWasFound() {
    Finding running = Preflight.finding(SERVER, survey(PidFile.RUNNING, true, true));
    Finding later =
        new Finding(
            running.serverId(),
            running.zone(),
            running.address(),
            running.access(),
            null,
            running.observer(),
            running.pid(),
            running.uptimeSeconds() + 600,
            running.ports(),
            running.anomalies());
    Finding stale = Preflight.finding(SERVER, survey(PidFile.DEAD, false, false));
    OffsetDateTime t = OffsetDateTime.parse("2026-03-02T10:00:00+08:00");

    PreflightPlan first = new PreflightPlan(1, t, 900, List.of(running));
    PreflightPlan refreshed = new PreflightPlan(2, t.plusMinutes(10), 300, List.of(later));
    PreflightPlan changed = new PreflightPlan(3, t.plusMinutes(11), 300, List.of(stale));

    assertThat(refreshed.hash()).isEqualTo(first.hash());
    assertThat(changed.hash()).isNotEqualTo(first.hash());
    assertThat(first.isNamedBy(first.shortHash())).isTrue();
    assertThat(changed.isNamedBy(first.shortHash())).isFalse();
    assertThat(first.isNamedBy(first.hash().substring(0, 8))).isFalse(); // too short to bind
  }
}

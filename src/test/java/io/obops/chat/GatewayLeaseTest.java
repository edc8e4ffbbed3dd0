package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The gateway lease on PostgreSQL, two replicas (A and B) on one database and one settable clock
 * (in the application, the database's clock): one holds the gateway at a time, the other takes it
 * over once the holder stops renewing it, and a clean shutdown hands it over at once.
 */
class GatewayLeaseTest {

  private static final Duration TTL = Duration.ofSeconds(9);
  private static HikariDataSource ds;
  private JdbcClient jdbc;
  private MutableClock clock;
  private final List<String> events = new ArrayList<>();

  @BeforeAll
  static void database() {
    ds = TestDatabase.dataSource(4);
  }

  @AfterAll
  static void close() {
    ds.close();
  }

  @BeforeEach
  void fresh() {
    jdbc = JdbcClient.create(ds);
    jdbc.sql("delete from chat_gateway_lease").update();
    clock = MutableClock.at("2026-03-02T02:00:00Z");
  }

  private GatewayLease replica(String name) {
    GatewayLease lease =
        new GatewayLease(
            jdbc,
            clock,
            "discord",
            name,
            TTL,
            () -> events.add(name + " connects"),
            () -> events.add(name + " disconnects"));
    lease.start();
    return lease;
  }

  @Test
  void oneReplicaHoldsTheGatewayAndTheOtherWaits() {
    GatewayLease a = replica("A");
    GatewayLease b = replica("B");

    for (int i = 0; i < 10; i++) {
      clock.advance(a.checkEvery());
      a.check();
      b.check();
    }

    assertThat(a.held()).isTrue();
    assertThat(b.held()).isFalse();
    assertThat(a.holder()).isEqualTo("A");
    assertThat(events).containsExactly("A connects");
  }

  @Test
  void whenTheHolderStopsRenewingAnotherTakesOverOnceTheLeaseRanOut() {
    GatewayLease a = replica("A");
    GatewayLease b = replica("B");

    // A dies (kill -9): it renews no more. B checks every third of the lease.
    Duration waited = Duration.ZERO;
    while (!b.check()) {
      clock.advance(b.checkEvery());
      waited = waited.plus(b.checkEvery());
    }

    assertThat(waited).isGreaterThanOrEqualTo(TTL).isLessThanOrEqualTo(TTL.plus(b.checkEvery()));
    assertThat(b.holder()).isEqualTo("B");
    // A comes back from a long pause: its next check finds the lease gone and disconnects
    assertThat(a.check()).isFalse();
    assertThat(events).containsExactly("A connects", "B connects", "A disconnects");
  }

  @Test
  void aCleanShutdownHandsTheGatewayOverAtOnce() {
    GatewayLease a = replica("A");
    GatewayLease b = replica("B");

    a.stop();

    assertThat(b.check()).isTrue();
    assertThat(events).containsExactly("A connects", "A disconnects", "B connects");
  }
}

package io.obops.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

class DatabaseClockTest {

  private final HikariDataSource dataSource = TestDatabase.dataSource(2);

  @AfterEach
  void close() {
    dataSource.close();
  }

  private Instant databaseNow() {
    return JdbcClient.create(dataSource)
        .sql("select current_timestamp")
        .query(OffsetDateTime.class)
        .single()
        .toInstant();
  }

  @ParameterizedTest
  @ValueSource(ints = {-3600, -60, 0, 60, 86_400})
  void aJvmClockThatIsOffStillTellsTheDatabasesTime(int secondsOff) {
    Clock off = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(secondsOff));

    DatabaseClock clock = new DatabaseClock(off, dataSource);

    assertTellsTheDatabasesTime(clock);
  }

  private void assertTellsTheDatabasesTime(Clock clock) {
    Instant before = databaseNow();
    Instant read = clock.instant();
    Instant after = databaseNow();
    // within the round trips around the read, and the measuring's half round trip
    assertThat(read).isBetween(before.minusMillis(500), after.plusMillis(500));
  }

  @Test
  void advancingTheBaseClockAdvancesItByAsMuch() {
    MutableClock base = MutableClock.at("2021-03-02T02:29:04.849Z");
    DatabaseClock clock = new DatabaseClock(base, dataSource);
    Instant first = clock.instant();

    base.advance(Duration.ofSeconds(31));

    assertThat(clock.instant()).isEqualTo(first.plusSeconds(31));
    assertThat(clock.withZone(ZoneOffset.UTC).instant()).isEqualTo(first.plusSeconds(31));
    assertThat(clock.getZone()).isEqualTo(base.getZone());
  }

  @Test
  void refreshMeasuresTheOffsetAgain() {
    MutableClock base = MutableClock.at("2021-03-02T02:29:04.849Z");
    DatabaseClock clock = new DatabaseClock(base, dataSource);
    Duration first = clock.offset();

    base.advance(Duration.ofHours(1));
    Duration second = clock.refresh();

    assertThat(second).isEqualTo(clock.offset());
    assertThat(first.minus(second).minusHours(1).abs()).isLessThan(Duration.ofSeconds(5));
    assertTellsTheDatabasesTime(clock);
  }

  @Test
  void withoutADatabaseItKeepsTheBaseClocksTimeRatherThanFail() {
    PGSimpleDataSource unreachable = new PGSimpleDataSource();
    unreachable.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");
    MutableClock base = MutableClock.at("2021-03-02T02:29:04.849Z");

    DatabaseClock clock = new DatabaseClock(base, unreachable);

    assertThat(clock.offset()).isZero();
    assertThat(clock.instant()).isEqualTo(base.instant());
  }
}

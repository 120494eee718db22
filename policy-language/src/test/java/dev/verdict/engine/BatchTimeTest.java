package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A batch is one question asked at one time: all its decisions see the same {@code context.now},
 * read from the clock once, whether they are taken at once or through stages.
 */
class BatchTimeTest {
  /** A clock that, once started, moves a minute on every time it is read. */
  static final class Ticking extends Clock {
    final AtomicLong reads = new AtomicLong();
    final long start;
    volatile boolean started;

    Ticking(Instant start) {
      this.start = start.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
      return started ? start + 60_000 * reads.getAndIncrement() : start;
    }
  }

  static final String POLICIES = """
      entity User {}
      entity Report {}
      policy reports on Report {
        @id("before-noon") permit read, list when context.now < time("2024-01-01T12:00:30Z")
      }
      """;

  @Test
  void everyDecisionOfABatchSeesTheSameNow() {
    Ticking clock = new Ticking(Instant.parse("2024-01-01T12:00:00Z"));
    Engine engine = Engine.builder(PolicySource.files(Map.of("reports.verdict", POLICIES))).clock(clock)
        .buildOrThrow();
    EntityData alice = new EntityData(new EntityUid("User", "alice"), Map.of(), List.of(), false);
    List<EntityData> reports = List.of(report("r1"), report("r2"), report("r3"));
    clock.started = true;
    List<Decision> batch = engine.decideBatch(alice, reports, List.of("read", "list"), Map.of(), List.of(),
        DecideOptions.ENFORCE);
    assertThat(batch).hasSize(6).allMatch(Decision::allowed);
    assertThat(clock.reads.get()).as("clock readings for one batch").isEqualTo(1);

    Ticking again = new Ticking(Instant.parse("2024-01-01T12:00:00Z"));
    Engine second = Engine.builder(PolicySource.files(Map.of("reports.verdict", POLICIES))).clock(again)
        .buildOrThrow();
    again.started = true;
    List<Decision> async = second.decideBatchAsync(alice, reports, List.of("read", "list"), Map.of(), List.of(),
        DecideOptions.ENFORCE).toCompletableFuture().join();
    assertThat(async).hasSize(6).allMatch(Decision::allowed);
  }

  private static EntityData report(String id) {
    return new EntityData(new EntityUid("Report", id), Map.of(), List.of(), false);
  }
}

package dev.verdict.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The decision log's queue is bounded in bytes as well as in records, and drops are counted. */
class DecisionLogBoundTest {
  @Test
  void recordsWithLongIdsAreDroppedOnceTheQueuedBytesReachTheBound() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    OutputStream stalled = new OutputStream() {
      @Override
      public void write(int b) {
        await(release);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        await(release);
      }
    };
    AtomicInteger dropped = new AtomicInteger();
    // room for 1,000 records, but each of these holds a 64 K-character principal id (about 128 KiB)
    DecisionLog log = new DecisionLog(stalled, false, 1_000, dropped::incrementAndGet, OperationalLog.stderr());
    String longId = "u".repeat(64 * 1024);
    int accepted = 0;
    for (int i = 0; i < 300; i++) {
      if (log.offer(record(longId))) {
        accepted++;
      }
    }
    assertThat(accepted).as("records accepted").isLessThanOrEqualTo(130);
    assertThat(dropped.get()).isEqualTo(300 - accepted).isEqualTo((int) log.dropped());
    assertThat(log.queuedBytes()).isLessThanOrEqualTo(DecisionLog.DEFAULT_MAX_BYTES);
    release.countDown();
    log.close(10_000);
    assertThat(log.written()).isEqualTo(accepted);
    assertThat(log.queuedBytes()).isZero();
  }

  @Test
  void smallRecordsAreBoundedByTheirCount() {
    DecisionLog log = new DecisionLog(OutputStream.nullOutputStream(), false, 1, 1024, () -> { },
        OperationalLog.stderr());
    assertThat(log.offer(record("x".repeat(1_000)))).as("over the byte bound").isFalse();
    assertThat(log.dropped()).isEqualTo(1);
    log.close(5_000);
  }

  @Test
  void aLargeQueueSizeHoldsNoMoreSlotsThanTheByteBoundAdmitsRecords() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    DecisionLog log = new DecisionLog(OutputStream.nullOutputStream(), false, 10_000_000, () -> { },
        OperationalLog.stderr());
    long made = threads.getCurrentThreadAllocatedBytes() - before;
    // 16 MiB of records at 256 bytes or more each: 65,536 at most, whatever the queue size says
    assertThat(log.slots()).isEqualTo(65_536);
    // a queue of ten million places allocated its 40 MB array up front
    assertThat(made).as("bytes allocated by making the log").isLessThan(1_000_000);
    log.close(5_000);
  }

  private static DecisionRecord record(String principalId) {
    return new DecisionRecord(0, "d", "r", "v", "c", "e", "User", principalId, "T", "t", "read", null, "allow",
        List.of(), Map.of(), Set.of(), null, 1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

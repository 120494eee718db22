package dev.verdict.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The log's ring under several request threads at once: every record written whole, once, or dropped and counted. */
class DecisionLogRingTest {
  @Test
  void recordsFromManyThreadsAreEachWrittenOnceOrCountedAsDropped() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicInteger dropped = new AtomicInteger();
    // a small ring, so that it wraps many times and is full now and then
    DecisionLog log = new DecisionLog(out, false, 8, dropped::incrementAndGet, OperationalLog.stderr());
    int threads = 4;
    int each = 5_000;
    AtomicInteger accepted = new AtomicInteger();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread th = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          if (log.offer(new DecisionRecord(i, thread + "-" + i, "r", "v", "c", "e", "User", "u" + i, "T", "t",
              "read", null, "allow", List.of("rule-" + i), Map.of(), Set.of(), null, i))) {
            accepted.incrementAndGet();
          }
        }
      });
      th.start();
      started.add(th);
    }
    for (Thread th : started) {
      th.join();
    }
    log.close(30_000);
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    Set<String> ids = new HashSet<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : lines) {
      var node = json.readTree(line);
      String id = node.get("decisionId").asText();
      assertThat(ids.add(id)).as("written once: %s", id).isTrue();
      String i = id.substring(id.indexOf('-') + 1);
      assertThat(node.get("principal").get("id").asText()).isEqualTo("u" + i);
      assertThat(node.get("reasons").get(0).asText()).isEqualTo("rule-" + i);
    }
    assertThat(lines.length).isEqualTo(accepted.get()).isEqualTo((int) log.written());
    assertThat(accepted.get() + dropped.get()).isEqualTo(threads * each);
    assertThat(log.dropped()).isEqualTo(dropped.get());
    assertThat(log.queuedBytes()).isZero();
  }

  @Test
  void anIdleLogWritesWhatComesLaterAtOnceAndClosesPromptly() throws Exception {
    // the record's line reaching the stream is the event waited for (the count is raised before it)
    CountDownLatch lineWritten = new CountDownLatch(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public synchronized void write(byte[] b, int off, int len) {
        super.write(b, off, len);
        for (int i = off; i < off + len; i++) {
          if (b[i] == '\n') {
            lineWritten.countDown();
          }
        }
      }
    };
    DecisionLog log = new DecisionLog(out, false, 4, () -> { }, OperationalLog.stderr());
    long asleep = System.nanoTime() + 30_000_000_000L;
    while (log.writerState() != Thread.State.TIMED_WAITING && System.nanoTime() < asleep) {
      Thread.yield(); // the writer needs the core to get there
    }
    assertThat(log.writerState()).as("the writer found nothing and sleeps").isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(log.offer(new DecisionRecord(0, "d", "r", "v", "c", "e", "User", "u", "T", "t", "read", null,
        "allow", List.of(), Map.of(), Set.of(), null, 1))).isTrue();
    assertThat(lineWritten.await(30, TimeUnit.SECONDS)).as("the line reached the stream before close").isTrue();
    assertThat(log.written()).as("written without waiting for close").isEqualTo(1);
    log.close(30_000);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"decisionId\":\"d\"");
  }
}

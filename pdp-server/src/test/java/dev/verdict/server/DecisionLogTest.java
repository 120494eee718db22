package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.server.log.DecisionLog;
import dev.verdict.server.log.DecisionRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decision log lines, what they hold and never hold, and the dropped counter. */
class DecisionLogTest {
  static String awaitLine(Path log, String marker) throws Exception {
    for (int i = 0; i < 600; i++) { // 30 s: the writer thread may wait long on a loaded machine
      if (Files.exists(log)) {
        for (String l : Files.readAllLines(log)) {
          if (l.contains(marker)) {
            return l;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no log line with " + marker);
  }

  @Test
  void eachDecisionIsOneJsonLineWithIdsButNoAttributeValues(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp)) {
      TestServer.Response r = s.post("/access/v1/evaluation", "{\"subject\":" + TestServer.subject("alice", "customer")
          + ",\"resource\":" + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"transfer\"}}",
          "X-Request-ID", "log-test-1", "Authorization", "Bearer secret-token-value");
      assertThat(r.status()).isEqualTo(200);
      JsonNode line = TestServer.JSON.readTree(awaitLine(s.decisionLog, "log-test-1"));
      assertThat(line.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(line.get("decisionId").asText())
          .isEqualTo(r.json().get("context").get("decision_id").asText());
      assertThat(line.get("policyVersion").asText()).startsWith("sha256:");
      assertThat(line.get("caller").asText()).isEqualTo("anonymous");
      assertThat(line.get("endpoint").asText()).isEqualTo("evaluation");
      assertThat(line.get("principal").toString()).isEqualTo("{\"type\":\"User\",\"id\":\"alice\"}");
      assertThat(line.get("resource").toString()).isEqualTo("{\"type\":\"Account\",\"id\":\"a1\"}");
      assertThat(line.get("action").asText()).isEqualTo("transfer");
      assertThat(line.get("intent").asText()).isEqualTo("funds.transfer");
      assertThat(line.get("decision").asText()).isEqualTo("allow");
      assertThat(line.get("reasons").get(0).asText()).isEqualTo("owner-access");
      assertThat(line.get("readMask").get("ssn").asText()).isEqualTo("partial(4)");
      assertThat(line.get("writeDenied")).hasSize(2);
      assertThat(line.get("rate").get("limit").asText()).isEqualTo("transfers");
      assertThat(line.get("rate").get("allowed").booleanValue()).isTrue();
      assertThat(line.get("latencyMicros").asLong()).isNotNegative();
      String all = Files.readString(s.decisionLog);
      assertThat(all).doesNotContain("123-45-6789").doesNotContain("secret-token-value").doesNotContain("t1");
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    OutputStream stuck = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    DecisionLog log = new DecisionLog(stuck, false, 4);
    DecisionRecord r = new DecisionRecord(0, "d", "r", "v", "c", "e", "User", "u", "T", "t", "read", null, "allow",
        List.of(), Map.of(), Set.of(), null, 1);
    // The writer is stuck until released: an offer that waited for it would never return.
    int accepted = CompletableFuture.supplyAsync(() -> {
      int n = 0;
      for (int i = 0; i < 100; i++) {
        if (log.offer(r)) {
          n++;
        }
      }
      return n;
    }).get(60, TimeUnit.SECONDS);
    // The writer takes a record, then drains what is queued by then (at most a full queue of 4)
    // before its first write blocks; the queue then fills again. So the writer holds at most 5
    // and the queue 4: between 4 and 9 are accepted, depending on when the writer ran.
    assertThat(accepted).isBetween(4, 9);
    assertThat(log.dropped()).isEqualTo(100 - accepted);
    release.countDown();
    log.close(2_000);
  }

  @Test
  void droppedRecordsShowInMetrics(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp)) {
      String metrics = s.get("/metrics").body();
      assertThat(metrics).contains("verdict_decision_log_dropped_total 0.0");
    }
  }
}

package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}: the server's series, bounded labels, Vert.x series; health probes. */
class MetricsTest {
  @Test
  void seriesArePublishedWithBoundedLabels(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp)) {
      s.post("/access/v1/evaluation", "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
          + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}");
      s.post("/access/v1/evaluation", "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
          + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"random-" + System.nanoTime() + "\"}}");
      s.post("/access/v1/evaluation", "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
          + "{\"type\":\"Junk" + System.nanoTime() + "\",\"id\":\"x\"},\"action\":{\"name\":\"read\"}}");
      TestServer.Response r = s.get("/metrics");
      assertThat(r.status()).isEqualTo(200);
      String m = r.body();
      assertThat(m).contains("verdict_decisions_total{action=\"read\",intent=\"none\",outcome=\"allow\","
          + "resource_type=\"Account\"} 1.0");
      assertThat(m).contains("verdict_decisions_total{action=\"other\",intent=\"none\",outcome=\"deny\","
          + "resource_type=\"Account\"} 1.0");
      assertThat(m).contains("verdict_decisions_total{action=\"read\",intent=\"none\",outcome=\"deny\","
          + "resource_type=\"other\"} 1.0");
      assertThat(m).doesNotContain("random-").doesNotContain("Junk");
      // Both denials were decided by no rule: counted as the default deny, action bounded.
      assertThat(m).contains("verdict_refusals_total{action=\"other\",intent=\"none\",outcome=\"deny\","
          + "policy=\"default\"} 1.0");
      assertThat(m).contains("verdict_refusals_total{action=\"read\",intent=\"none\",outcome=\"deny\","
          + "policy=\"default\"} 1.0");
      assertThat(m).doesNotContain("verdict_refusals_total{action=\"read\",intent=\"none\",outcome=\"allow\"");
      assertThat(m).contains("verdict_decision_seconds_bucket{le=");
      assertThat(m).contains("verdict_decision_seconds_count 3");
      assertThat(m).contains("verdict_policy_reloads_total{result=\"ok\"} 1.0");
      assertThat(m).contains("verdict_policy_reloads_total{result=\"failed\"} 0.0");
      assertThat(m).contains("verdict_policy_info{version=\"" + s.server.store().current().orElseThrow().version()
          + "\"} 1");
      assertThat(m).contains("verdict_decision_log_dropped_total");
      assertThat(m).contains("vertx_http_server_requests_total");
      assertThat(m).contains("jvm_memory_used_bytes");
    }
  }

  /**
   * The dropped-records series counts on after a garbage collection: as a function counter it
   * held its source weakly and froze at its last value once that was collected.
   */
  @Test
  void droppedDecisionRecordsAreCountedAfterGarbageCollection(@TempDir Path tmp) throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
    java.io.OutputStream stuck = new java.io.OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        writing.countDown();
        try {
          release.await(); // a stdout nobody reads: the log's writer blocks, its queue fills
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    java.io.PrintStream original = System.out;
    System.setOut(new java.io.PrintStream(stuck, false));
    TestServer s = null;
    try {
      s = new TestServer(tmp, c -> c.withDecisionLog(dev.verdict.server.boot.ServerConfig.DecisionLogTarget.STDOUT, 1));
      String body = "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
          + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}";
      for (int i = 0; i < 10; i++) {
        s.post("/access/v1/evaluation", body);
      }
      // Once the writer holds a record (blocked writing it), one more request fills the queue
      // whatever the writer had taken before: from then on every record is dropped.
      assertThat(writing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      s.post("/access/v1/evaluation", body);
      double first = dropped(s);
      assertThat(first).isGreaterThanOrEqualTo(8);
      System.gc();
      System.gc();
      for (int i = 0; i < 10; i++) {
        s.post("/access/v1/evaluation", body);
      }
      assertThat(dropped(s)).isEqualTo(first + 10);
    } finally {
      release.countDown();
      if (s != null) {
        s.close();
      }
      System.setOut(original);
    }
  }

  private static double dropped(TestServer s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("verdict_decision_log_dropped_total ([0-9.E]+)")
        .matcher(s.get("/metrics").body());
    assertThat(m.find()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void healthProbes(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp)) {
      assertThat(s.get("/health/live").json().get("status").asText()).isEqualTo("live");
      TestServer.Response ready = s.get("/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().get("policyVersion").asText()).startsWith("sha256:");
    }
  }
}

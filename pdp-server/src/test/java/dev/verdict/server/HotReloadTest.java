package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watched policy directory: valid changes are served, broken ones refused, never a half-loaded set. */
class HotReloadTest {
  static final String EVAL = "{\"subject\":" + TestServer.subject("sam", "support") + ",\"resource\":"
      + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"update\"}}";

  /** Writes a file next to the directory and moves it in, as deployment tools do. */
  static void replace(Path dir, String name, String text) throws Exception {
    Path tmp = dir.resolveSibling(name + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String supportMayUpdate(int n) {
    return "policy support_update on Account {\n  @id(\"support-update-" + n + "\")\n  permit update to support\n}\n";
  }

  static String awaitVersionOtherThan(TestServer s, String old) throws InterruptedException {
    for (int i = 0; i < 600; i++) { // 30 s: a reload compiles the set, slowly on a loaded machine
      String v = s.server.store().current().orElseThrow().version();
      if (!v.equals(old)) {
        return v;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the change was not picked up");
  }

  /** Waits until a client has seen the version served now, and returns it (30 s at most; the assertions say what was missing). */
  static String awaitSeenServing(TestServer s, Set<String> seen) throws InterruptedException {
    String served = s.server.store().current().orElseThrow().version();
    for (int i = 0; i < 600 && !seen.contains(served); i++) {
      Thread.sleep(50);
      served = s.server.store().current().orElseThrow().version();
    }
    return served;
  }

  @Test
  void aValidChangeIsPickedUp(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp)) {
      String before = s.server.store().current().orElseThrow().version();
      assertThat(s.post("/access/v1/evaluation", EVAL).json().get("decision").booleanValue()).isFalse();
      replace(s.policies, "extra.verdict", supportMayUpdate(1));
      String after = awaitVersionOtherThan(s, before);
      JsonNode j = s.post("/access/v1/evaluation", EVAL).json();
      assertThat(j.get("decision").booleanValue()).isTrue();
      assertThat(j.get("context").get("reasons").get(0).asText()).isEqualTo("support-update-1");
      assertThat(j.get("context").get("policy_version").asText()).isEqualTo(after);
      assertThat(s.get("/metrics").body()).contains("verdict_policy_info{version=\"" + after + "\"} 1")
          .doesNotContain("verdict_policy_info{version=\"" + before + "\"}");
      assertThat(s.stderr()).contains("serving policy version " + after);
    }
  }

  @Test
  void aBrokenChangeIsRefusedReportedAndTheOldSetKeepsServing(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp)) {
      String before = s.server.store().current().orElseThrow().version();
      replace(s.policies, "broken.verdict", "policy broken on Account {\n  permit read to\n");
      for (int i = 0; i < 600 && s.server.store().lastReload().orElseThrow().ok(); i++) {
        Thread.sleep(50);
      }
      assertThat(s.server.store().lastReload().orElseThrow().ok()).isFalse();
      assertThat(s.server.store().current().orElseThrow().version()).isEqualTo(before);
      TestServer.Response r = s.post("/access/v1/evaluation", EVAL);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("context").get("policy_version").asText()).isEqualTo(before);
      assertThat(s.get("/health/ready").status()).isEqualTo(200);
      assertThat(s.stderr()).contains("broken.verdict").contains("was refused; still serving " + before);
      assertThat(s.get("/metrics").body()).contains("verdict_policy_reloads_total{result=\"failed\"} 1.0");
    }
  }

  @Test
  void policiesEndpointShowsTheLastReloadAndReloadForcesOne(@TempDir Path tmp) throws Exception {
    String key = "admin-key-for-reload-test-123";
    try (TestServer s = new TestServer(tmp, c -> c.withReloadInterval(0).withApiKeys(List.of(
        new dev.verdict.server.auth.ApiKey("ops", dev.verdict.server.auth.ApiKeys.digest(key),
            Set.of(dev.verdict.server.auth.Scope.ADMIN)))))) {
      JsonNode p = s.get("/v1/policies", "X-API-Key", key).json();
      assertThat(p.get("version").asText()).startsWith("sha256:");
      assertThat(p.get("loadedAt").asText()).endsWith("Z");
      assertThat(p.get("ruleCount").asInt()).isEqualTo(4);
      assertThat(p.get("files").toString()).isEqualTo("[\"accounts.verdict\",\"roles.verdict\",\"routes.verdict\"]");
      assertThat(p.get("lastReload").get("ok").booleanValue()).isTrue();

      Files.writeString(s.policies.resolve("broken.verdict"), "policy broken on Account {\n  permit read to\n");
      Thread.sleep(300);
      assertThat(s.get("/v1/policies", "X-API-Key", key).json().get("lastReload").get("ok").booleanValue())
          .as("watching is off").isTrue();
      JsonNode refused = s.post("/v1/policies/reload", "", "X-API-Key", key).json();
      assertThat(refused.get("ok").booleanValue()).isFalse();
      assertThat(refused.get("version").asText()).isEqualTo(p.get("version").asText());
      JsonNode diag = refused.get("diagnostics").get(0);
      assertThat(diag.get("severity").asText()).isEqualTo("error");
      assertThat(diag.get("location").get("file").asText()).endsWith("broken.verdict");
      JsonNode shown = s.get("/v1/policies", "X-API-Key", key).json();
      assertThat(shown.get("lastReload").get("ok").booleanValue()).isFalse();
      assertThat(shown.get("lastReload").get("diagnostics")).isNotEmpty();
      assertThat(shown.get("version").asText()).isEqualTo(p.get("version").asText());

      Files.writeString(s.policies.resolve("broken.verdict"), supportMayUpdate(2));
      JsonNode fixed = s.post("/v1/policies/reload", "", "X-API-Key", key).json();
      assertThat(fixed.get("ok").booleanValue()).isTrue();
      assertThat(fixed.get("changed").booleanValue()).isTrue();
      assertThat(fixed.get("version").asText()).isNotEqualTo(p.get("version").asText());
    }
  }

  @Test
  void underLoadEveryAnswerIsOldOrNewNeverAnError(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp, c -> c.withReloadInterval(100))) {
      Set<String> served = ConcurrentHashMap.newKeySet();
      served.add(s.server.store().current().orElseThrow().version());
      s.server.store().onReload(r -> {
        if (r.ok()) {
          served.add(r.version());
        }
      });
      List<String> failures = new ArrayList<>();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger answers = new AtomicInteger();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        Thread t = new Thread(() -> {
          while (running.get()) {
            TestServer.Response r = s.post("/access/v1/evaluation", EVAL);
            if (r.status() != 200) {
              synchronized (failures) {
                failures.add(r.status() + " " + r.body());
              }
            } else {
              seen.add(r.json().get("context").get("policy_version").asText());
              answers.incrementAndGet();
            }
          }
        });
        t.start();
        clients.add(t);
      }
      long end = System.currentTimeMillis() + 3_000;
      String checkpoint = s.server.store().current().orElseThrow().version();
      for (int i = 1; i <= 10; i++) {
        // Plain rewrites (not atomic moves): a reader may see a half-written file, which must be refused.
        Files.writeString(s.policies.resolve("extra.verdict"), supportMayUpdate(i));
        Thread.sleep(Math.max(0, (end - System.currentTimeMillis()) / (11 - i)));
        if (i % 3 == 0) {
          // A loaded machine may compile slower than the files change, or answer few requests
          // meanwhile: every third rewrite waits until it is served and a client saw it.
          awaitVersionOtherThan(s, checkpoint);
          checkpoint = awaitSeenServing(s, seen);
        }
      }
      awaitSeenServing(s, seen);
      for (int i = 0; i < 600 && answers.get() <= 100; i++) {
        Thread.sleep(50);
      }
      running.set(false);
      for (Thread t : clients) {
        t.join();
      }
      // The engine serves a new version before the store reports it to listeners, so a client
      // can see the last one a moment before `served` holds it. A reload waits for the one in
      // progress (the store's reloads are serial) and so for its report.
      s.server.store().reload();
      assertThat(failures).isEmpty();
      assertThat(answers.get()).isGreaterThan(100);
      assertThat(seen.size()).as("several versions were served").isGreaterThan(2);
      assertThat(served).containsAll(seen);
      assertThat(s.blockingCalls.found()).isEmpty();
    }
  }
}

package dev.verdict.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.server.TestServer;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploying a new policy set while the server watches its directory: half-written states are
 * not served, the atomic symlink swap is followed, and what a version removed is reported.
 */
class PolicyDeployTest {
  private static final String ADMIN_KEY = "admin-key-for-deploy-test-123";
  private static final String LIMIT = """
      limit transfers on intent "funds.transfer" by principal.id {
        5 per 1m
      }
      """;
  private static final String ROUTES = """
      route GET  "/accounts/{id}"           -> Account[id].read
      route POST "/accounts/{id}/transfers" -> Account[id].transfer intent "funds.transfer"
      """;

  private static TestServer server(Path tmp, long intervalMillis) throws Exception {
    return new TestServer(tmp, c -> c.withReloadInterval(intervalMillis).withApiKeys(List.of(
        new ApiKey("ops", ApiKeys.digest(ADMIN_KEY), Set.of(Scope.ADMIN)))));
  }

  /** Versions served after the start, in order. */
  private static List<String> servedVersions(TestServer s) {
    List<String> served = new CopyOnWriteArrayList<>();
    s.server.store().onReload(r -> {
      if (r.ok() && r.changed()) {
        served.add(r.version());
      }
    });
    return served;
  }

  private static String awaitVersionOtherThan(TestServer s, String old) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      String v = s.server.store().current().orElseThrow().version();
      if (!v.equals(old)) {
        return v;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the change was not picked up");
  }

  /**
   * The file is truncated (as {@code >} or a non-atomic copy does) and stays empty for longer
   * than a poll interval but less than the settle time, then the complete file arrives: only
   * the complete version is served, never one without the limit.
   */
  @Test
  void aFileTruncatedMidWriteIsNeverServed(@TempDir Path tmp) throws Exception {
    // Polls every 2 s, settled after 3 s: the pause below is 2.2 s, so the writer may stall
    // almost 2 s more (a loaded machine) before the empty file could be loaded.
    try (TestServer s = server(tmp, 2_000)) {
      Path routes = s.policies.resolve("routes.verdict");
      String before = s.server.store().current().orElseThrow().version();
      List<String> served = servedVersions(s);

      // a deploy tool that truncates the file and writes it a moment later (less than the settle
      // time): the pause is the scenario, not a wait for the server
      Files.writeString(routes, "");
      Thread.sleep(2_200);
      Files.writeString(routes, ROUTES + LIMIT.replace("5 per 1m", "4 per 1m"));
      String after = dev.verdict.lang.Verdict.load(s.policies).policySet().orElseThrow().version();
      for (int i = 0; i < 600 && !served.contains(after); i++) {
        Thread.sleep(50);
      }

      assertThat(served).containsExactly(after);
      assertThat(s.server.store().current().orElseThrow().removed().isEmpty()).isTrue();
      JsonNode shown = s.get("/v1/policies", "X-API-Key", ADMIN_KEY).json();
      assertThat(shown.get("removed").get("limits")).isEmpty();
      assertThat(s.stderr()).doesNotContain("removed");
    }
  }

  /**
   * The Kubernetes ConfigMap layout: the files are links into {@code ..data}, itself a link to
   * a timestamped directory; a deploy writes a new directory and swaps {@code ..data} in one
   * rename. The swap is one change and is served.
   */
  @Test
  void aSymlinkSwapOfTheDirectoryIsFollowed(@TempDir Path tmp) throws Exception {
    try (TestServer s = server(tmp, 200)) {
      Path dir = s.policies;
      String start = s.server.store().current().orElseThrow().version();
      List<String> names;
      try (Stream<Path> files = Files.list(dir)) {
        names = new java.util.ArrayList<>(files.map(p -> p.getFileName().toString()).sorted().toList());
      }
      Path v1 = dir.resolve("..2026_01_01_00_00_00.1");
      Files.createDirectory(v1);
      for (String n : names) {
        Files.copy(dir.resolve(n), v1.resolve(n));
      }
      Files.writeString(v1.resolve("extra.verdict"), EXTRA.replace("support-update", "support-extra"));
      names.add("extra.verdict");
      Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
      for (String n : names) {
        swapLink(dir, n, Path.of("..data", n));
      }
      String before = awaitVersionOtherThan(s, start);
      assertThat(s.server.store().current().orElseThrow().files()).contains("extra.verdict");

      Path v2 = dir.resolve("..2026_01_01_00_05_00.2");
      Files.createDirectory(v2);
      for (String n : names) {
        Files.copy(v1.resolve(n), v2.resolve(n));
      }
      Files.writeString(v2.resolve("routes.verdict"), ROUTES);
      Files.writeString(v2.resolve("extra.verdict"), EXTRA);
      swapLink(dir, "..data", v2.getFileName());
      String after = awaitVersionOtherThan(s, before);

      PolicySnapshot served = s.server.store().current().orElseThrow();
      assertThat(served.version()).isEqualTo(after);
      assertThat(served.removed().limits()).containsExactly("transfers");
      assertThat(served.removed().rules()).containsExactly("support-extra");
      JsonNode shown = s.get("/v1/policies", "X-API-Key", ADMIN_KEY).json();
      assertThat(shown.get("removed").get("limits").toString()).isEqualTo("[\"transfers\"]");
      assertThat(shown.get("files").toString()).contains("extra.verdict").doesNotContain("..");
      // the version is served before the reload's report is written: wait for the line, bounded
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
      while (!s.stderr().contains("this version removed") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(s.stderr()).contains("this version removed 1 rule (support-extra), 1 limit (transfers)");
    }
  }

  private static final String EXTRA = "policy extra on Account {\n  @id(\"support-update\")\n  permit update to support\n}\n";

  /** Creates or replaces {@code name} in {@code dir} with a link to {@code target}, in one rename. */
  private static void swapLink(Path dir, String name, Path target) throws Exception {
    Path tmp = dir.resolve(".." + name + ".tmp");
    Files.createSymbolicLink(tmp, target);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** An {@code @sensitive} value in a data file with an error never reaches stderr or the admin API. */
  @Test
  void reloadDiagnosticsNeverShowEntityDataValues(@TempDir Path tmp) throws Exception {
    try (TestServer s = server(tmp, 200)) {
      Path staging = tmp.resolve("staging");
      Files.createDirectories(staging);
      Files.writeString(staging.resolve("vault.verdict"), "entity Vault {\n  @sensitive pin: Number\n}\n");
      Files.writeString(staging.resolve("vault.entities.json"),
          "[{\"uid\": {\"type\": \"Vault\", \"id\": \"v1\"}, \"attrs\": {\"pin\": \"PIN-9876-5432\"}, \"parents\": []}]\n");
      Files.move(staging.resolve("vault.verdict"), s.policies.resolve("vault.verdict"), StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging.resolve("vault.entities.json"), s.policies.resolve("vault.entities.json"),
          StandardCopyOption.ATOMIC_MOVE);
      for (int i = 0; i < 300 && s.server.store().lastReload().orElseThrow().ok(); i++) {
        Thread.sleep(50);
      }
      assertThat(s.server.store().lastReload().orElseThrow().ok()).isFalse();
      assertThat(s.stderr()).contains("V0806").contains("vault.entities.json").contains("attrs.pin")
          .doesNotContain("9876-5432");
      assertThat(s.get("/v1/policies", "X-API-Key", ADMIN_KEY).body()).contains("V0806")
          .doesNotContain("9876-5432");
      assertThat(s.post("/v1/policies/reload", "", "X-API-Key", ADMIN_KEY).body()).contains("V0806")
          .doesNotContain("9876-5432");
      assertThat(s.stderr()).doesNotContain("9876-5432");
    }
  }
}

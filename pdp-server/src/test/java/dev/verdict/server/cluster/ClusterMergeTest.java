package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A partition and its healing, with two {@code verdict serve} processes: one is frozen
 * (SIGSTOP) until the other drops it, the other spends a budget meanwhile, and after the frozen
 * one wakes (SIGCONT) and the two merge, the budget is the stricter of the two sides' (the
 * woken side still holds the state from before the partition). About 50 s here under heavy load.
 */
class ClusterMergeTest {
  @Test
  void aPartitionAndMergeLeavesTheStricterBudget() throws Exception {
    Path dir = Files.createTempDirectory("cluster-merge");
    TestServer.copy(Path.of("src/test/resources/policies/cluster"), dir.resolve("policies"));
    try (ClusterProcesses cluster = ClusterProcesses.start(dir, 2, List.of("--policies", "policies"))) {
      ClusterProcesses.Node x = cluster.nodes.get(0);
      ClusterProcesses.Node y = cluster.nodes.get(1);
      assertThat(ClusterProcessesTest.admittedThrough(cluster, "split", 10, List.of(x, y))).isEqualTo(10);

      signal("STOP", y);
      try {
        awaitSize(cluster, x, 1); // x took y for dead: two clusters now
        assertThat(ClusterProcessesTest.admittedThrough(cluster, "split", 50, List.of(x))).isEqualTo(50);
      } finally {
        signal("CONT", y);
      }
      cluster.awaitSettled(2);
      // 60 spent on x's side, 10 on y's: 40 left, not 90.
      assertThat(ClusterProcessesTest.admittedThrough(cluster, "split", 120, List.of(x, y))).isEqualTo(40);
    }
  }

  private static void signal(String name, ClusterProcesses.Node node) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(node.process().pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static void awaitSize(ClusterProcesses cluster, ClusterProcesses.Node node, int size) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      ClusterProcesses.Answer a = cluster.get(node, "/v1/cluster");
      JsonNode c = a.status() == 200 ? a.json() : null;
      if (c != null && c.get("size").asInt() == size && c.get("settled").asBoolean()) {
        return;
      }
      assertThat(System.nanoTime()).as("member %d sees %d members: %s", node.clusterPort(), size, a.body())
          .isLessThan(until);
      Thread.sleep(200);
    }
  }
}

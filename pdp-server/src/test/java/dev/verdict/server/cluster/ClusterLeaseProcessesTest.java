package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three {@code verdict serve} processes leasing budgets for hot keys ({@code cluster-lease: 5}),
 * over the test set's 100-per-hour transfer limit (per hour, so that the budget does not refill
 * measurably while the requests run). The bound documented in operations.md: never more than
 * the limit; at most (N − 1) × (k − 1) fewer while other nodes hold unused leased tokens.
 */
class ClusterLeaseProcessesTest {
  static final int NODES = 3;
  static final int LEASE = 5;
  static Path dir;
  static ClusterProcesses cluster;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("cluster-lease");
    TestServer.copy(Path.of("src/test/resources/policies/cluster"), dir.resolve("policies"));
    cluster = ClusterProcesses.start(dir, NODES, List.of("--policies", "policies"),
        Map.of("VERDICT_CLUSTER_LEASE", Integer.toString(LEASE)));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aHotLimitHitConcurrentlyThroughThreeLeasingNodesAdmitsTheLimitWithinTheLeaseBound() throws Exception {
    double before = roundTrips();
    int admitted = ClusterProcessesTest.admittedThrough(cluster, "leased", 300, cluster.nodes);
    assertThat(admitted).isLessThanOrEqualTo(100).isGreaterThanOrEqualTo(100 - (NODES - 1) * (LEASE - 1));
    // 100 requests per node: most answered from leases and kept refusals
    assertThat(roundTrips() - before).as("budget round trips for 300 requests").isLessThan(150);
  }

  private static double roundTrips() {
    double sum = 0;
    for (ClusterProcesses.Node n : cluster.nodes) {
      sum += cluster.metric(n, "verdict_cluster_budget_seconds_count");
    }
    return sum;
  }

  @Test
  void aWindowLimitIsNeverLeasedAndAdmitsExactlyItsCount() throws Exception {
    String update = ClusterProcessesTest.update("windowed-leased");
    assertThat(ClusterProcessesTest.admittedRequests(cluster, update, 90, cluster.nodes)).isEqualTo(30);
  }
}

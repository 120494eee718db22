package dev.verdict.server.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How this node joins its cluster. With none of name, members or a Kubernetes service given, the
 * node runs alone with in-process stores and opens no cluster port.
 *
 * @param name the cluster's name: members of other clusters on the same network are refused
 * @param members {@code host:port} of the members to join over TCP-IP (this node's own included
 *     or not); empty with a Kubernetes service
 * @param port the port this member listens on for members, on {@code interfaceAddress} only
 * @param interfaceAddress the one address the cluster port binds to: the cluster port carries
 *     budgets, cached decisions and policy bundles, so it is a trust boundary
 * @param kubernetesService the DNS name of a headless Service whose addresses are the members
 * @param joinWaitSeconds how long a starting member waits for others before it starts alone
 * @param heartbeatSeconds how often members tell each other they are alive
 * @param maxNoHeartbeatSeconds after how long without one a member is taken for dead
 * @param decisionCacheMegabytes heap each member gives the shared decision cache
 * @param leaseTokens the most tokens a node leases at once for a hot budget key
 *     ({@link LeasingBudgetStore}); 0: no leases, every consumption on the key's owner
 * @param budgetTimeout how long a budget in the cluster may take to answer before the limit's
 *     {@code on unavailable} mode applies ({@link #MIN_BUDGET_TIMEOUT} to {@link #MAX_BUDGET_TIMEOUT})
 */
public record ClusterSettings(String name, List<String> members, int port, String interfaceAddress,
    Optional<String> kubernetesService, int joinWaitSeconds, int heartbeatSeconds, int maxNoHeartbeatSeconds,
    int decisionCacheMegabytes, int leaseTokens, Duration budgetTimeout) {

  public static final int DEFAULT_PORT = 5701;
  public static final Duration DEFAULT_BUDGET_TIMEOUT = Duration.ofMillis(500);
  /** Below this a timeout would refuse answers the cluster gives in its ordinary round trip. */
  public static final Duration MIN_BUDGET_TIMEOUT = Duration.ofMillis(10);
  /** Above this a request would wait on its budget longer than a caller waits on an answer. */
  public static final Duration MAX_BUDGET_TIMEOUT = Duration.ofSeconds(10);
  public static final String DEFAULT_INTERFACE = "127.0.0.1";

  public ClusterSettings {
    Objects.requireNonNull(name, "name is null");
    members = List.copyOf(members);
    Objects.requireNonNull(interfaceAddress, "interfaceAddress is null");
    Objects.requireNonNull(kubernetesService, "kubernetesService is null");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the cluster port is 1 to 65535, not " + port);
    }
    if (!members.isEmpty() && kubernetesService.isPresent()) {
      throw new IllegalArgumentException("give the cluster's members or a Kubernetes service to find them, not both");
    }
    for (String m : members) {
      if (!m.matches("[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?")) {
        throw new IllegalArgumentException("cluster member `" + m + "` is not host or host:port");
      }
    }
    if (decisionCacheMegabytes < 1) {
      throw new IllegalArgumentException("the shared decision cache needs at least 1 MB");
    }
    if (leaseTokens != 0 && (leaseTokens < 2 || leaseTokens > GcraLease.MAX_TOKENS)) {
      throw new IllegalArgumentException("a lease takes 2 to " + GcraLease.MAX_TOKENS + " tokens (0: no leases), not "
          + leaseTokens);
    }
    Objects.requireNonNull(budgetTimeout, "budgetTimeout is null");
    if (budgetTimeout.compareTo(MIN_BUDGET_TIMEOUT) < 0 || budgetTimeout.compareTo(MAX_BUDGET_TIMEOUT) > 0) {
      throw new IllegalArgumentException("a budget's timeout is " + MIN_BUDGET_TIMEOUT.toMillis() + " to "
          + MAX_BUDGET_TIMEOUT.toMillis() + " ms, not " + budgetTimeout.toMillis() + " ms");
    }
    if (joinWaitSeconds < 0 || heartbeatSeconds < 1 || maxNoHeartbeatSeconds <= heartbeatSeconds) {
      throw new IllegalArgumentException("join wait ≥ 0 s, heartbeat ≥ 1 s and the heartbeat timeout longer "
          + "than the heartbeat are needed");
    }
  }

  /** A cluster over TCP-IP with production timings: join wait 2 s, heartbeat 5 s, timeout 30 s. */
  public static ClusterSettings tcp(String name, List<String> members, int port, String interfaceAddress) {
    return new ClusterSettings(name, members, port, interfaceAddress, Optional.empty(), 2, 5, 30, 32, 0,
        DEFAULT_BUDGET_TIMEOUT);
  }

  public ClusterSettings withTimings(int joinWait, int heartbeat, int maxNoHeartbeat) {
    return new ClusterSettings(name, members, port, interfaceAddress, kubernetesService, joinWait, heartbeat,
        maxNoHeartbeat, decisionCacheMegabytes, leaseTokens, budgetTimeout);
  }

  public ClusterSettings withLease(int tokens) {
    return new ClusterSettings(name, members, port, interfaceAddress, kubernetesService, joinWaitSeconds,
        heartbeatSeconds, maxNoHeartbeatSeconds, decisionCacheMegabytes, tokens, budgetTimeout);
  }

  public ClusterSettings withBudgetTimeout(Duration timeout) {
    return new ClusterSettings(name, members, port, interfaceAddress, kubernetesService, joinWaitSeconds,
        heartbeatSeconds, maxNoHeartbeatSeconds, decisionCacheMegabytes, leaseTokens, timeout);
  }
}

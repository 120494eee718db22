package dev.verdict.server.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * Starts this node's embedded Hazelcast member from {@link ClusterSettings}, configured for a
 * PDP: members only on the configured interface, no multicast, no auto-detection, no phone-home,
 * no Jet; a graceful shutdown (partitions migrate before the member leaves, so budgets survive a
 * rolling update); and a cluster port that deserialises none of our classes but our own messages.
 */
public final class ClusterNode {
  /** The map of rate budgets: key digest → GCRA state. */
  static final String BUDGETS = "verdict-budgets";
  /** Sliding windows ({@code N per D window}): each key's admitted times, on its owner. */
  static final String WINDOWS = "verdict-windows";
  /** The map of shared decisions: decision key text → decision. */
  static final String DECISIONS = "verdict-decisions";

  /**
   * Hazelcast's logger, held so that its level sticks (JUL keeps loggers weakly). At INFO a start
   * writes dozens of lines about its own machinery to stderr; its warnings and errors still show.
   * {@code -Dverdict.cluster.log=INFO} (in {@code VERDICT_JAVA_OPTS}) brings them back.
   */
  private static final java.util.logging.Logger HAZELCAST_LOG = java.util.logging.Logger.getLogger("com.hazelcast");

  private ClusterNode() {}

  public static HazelcastInstance start(ClusterSettings settings) {
    java.util.logging.Level level;
    try {
      level = java.util.logging.Level.parse(System.getProperty("verdict.cluster.log", "WARNING"));
    } catch (IllegalArgumentException e) {
      level = java.util.logging.Level.WARNING;
    }
    HAZELCAST_LOG.setLevel(level);
    ClusterCallbacks.install();
    return Hazelcast.newHazelcastInstance(config(settings));
  }

  static Config config(ClusterSettings s) {
    Config c = new Config();
    c.setClusterName(s.name());
    c.setInstanceName("verdict-" + s.name() + "-" + s.port());
    c.getJetConfig().setEnabled(false);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.wait.seconds.before.join", Integer.toString(s.joinWaitSeconds()));
    c.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(s.heartbeatSeconds()));
    c.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(s.maxNoHeartbeatSeconds()));
    // A split brain heals within a minute of the network doing so.
    c.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    c.setProperty("hazelcast.merge.next.run.delay.seconds", "10");

    NetworkConfig net = c.getNetworkConfig();
    net.setPort(s.port()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).addInterface(s.interfaceAddress());
    c.setProperty("hazelcast.socket.bind.any", "false");
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (s.kubernetesService().isPresent()) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", s.kubernetesService().get())
          .setProperty("service-port", Integer.toString(s.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(s.members().isEmpty()
          ? java.util.List.of(s.interfaceAddress() + ":" + s.port()) : s.members());
    }

    c.getSerializationConfig().addDataSerializableFactory(ClusterSerialization.FACTORY_ID, new ClusterSerialization());
    // Deserialising arbitrary classes from the cluster port is how an attacker on that port
    // would run code. Java serialization keeps Hazelcast's own filter (the JDK's and
    // Hazelcast's classes, known gadget classes refused); nothing of ours or of any other
    // library on the class path is accepted: our messages are IdentifiedDataSerializable.
    JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(false);
    c.getSerializationConfig().setJavaSerializationFilterConfig(filter);

    MapConfig budgets = new MapConfig(BUDGETS)
        .setBackupCount(1) // synchronous: an admitted request is on two members before it is answered
        .setAsyncBackupCount(0)
        .setInMemoryFormat(InMemoryFormat.OBJECT);
    budgets.getMergePolicyConfig().setPolicy(StricterBudgetMerge.class.getName());
    c.addMapConfig(budgets);
    MapConfig windows = new MapConfig(WINDOWS)
        .setBackupCount(1)
        .setAsyncBackupCount(0)
        .setInMemoryFormat(InMemoryFormat.OBJECT);
    windows.getMergePolicyConfig().setPolicy(StricterWindowMerge.class.getName());
    c.addMapConfig(windows);

    MapConfig decisions = new MapConfig(DECISIONS)
        .setBackupCount(0) // a lost entry is recomputed, not wrong
        .setInMemoryFormat(InMemoryFormat.BINARY)
        .setTimeToLiveSeconds(300);
    decisions.getEvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
        .setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE).setSize(s.decisionCacheMegabytes());
    NearCacheConfig near = new NearCacheConfig(DECISIONS)
        .setInMemoryFormat(InMemoryFormat.OBJECT) // a hit must not deserialise
        .setCacheLocalEntries(true)
        .setInvalidateOnChange(true);
    // Community near caches bound entries only; with entries bounded in size, that bounds bytes.
    near.getEvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
        .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
        .setSize((int) Math.max(1, (long) s.decisionCacheMegabytes() * 1024 * 1024 / ClusterDecisionCache.MAX_ENTRY_BYTES));
    decisions.setNearCacheConfig(near);
    c.addMapConfig(decisions);
    c.addMapConfig(new MapConfig(ClusterPolicy.BUNDLES).setBackupCount(1).setInMemoryFormat(InMemoryFormat.BINARY));
    c.addExecutorConfig(new com.hazelcast.config.ExecutorConfig(ClusterPolicy.EXECUTOR).setPoolSize(1)
        .setQueueCapacity(16));
    dev.verdict.server.entities.ClusterEntityStore.configure(c);
    // Without this, another member's update reaches a near cache after up to 10 s.
    c.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
    return c;
  }
}

package dev.verdict.server.entities;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Value;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real Hazelcast members in this JVM with a log of 8 writes: many more writes than that over
 * the cluster's life, and a member that joins afterwards still holds every record's latest
 * state at the same revision (from the snapshot plus the log's tail).
 */
class EntityLogCompactionTest {
  static final java.util.logging.Logger HAZELCAST_LOG = java.util.logging.Logger.getLogger("com.hazelcast");
  static final int CAPACITY = 8;
  static final PolicySet SET = Engine.builder(PolicySource.files(Map.of("p.verdict", """
      entity User {}
      entity Doc { owner: String, n?: Number }
      policy p on Doc {
        @id("owner") permit read when resource.owner == principal.id
      }
      """))).buildOrThrow().active().orElseThrow().set();

  final String name = "compaction-" + UUID.randomUUID();
  final List<Integer> ports = new ArrayList<>();
  final List<HazelcastInstance> members = new ArrayList<>();
  final List<ClusterEntityStore> stores = new ArrayList<>();

  @AfterEach
  void stop() {
    stores.forEach(ClusterEntityStore::close);
    for (int i = members.size() - 1; i >= 0; i--) {
      members.get(i).getLifecycleService().terminate();
    }
  }

  HazelcastInstance member() throws IOException {
    HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
    try (ServerSocket s = new ServerSocket(0)) {
      ports.add(s.getLocalPort());
    }
    int port = ports.get(ports.size() - 1);
    Config c = new Config();
    c.setClusterName(name);
    c.getJetConfig().setEnabled(false);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    JoinConfig join = c.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    ports.forEach(p -> join.getTcpIpConfig().addMember("127.0.0.1:" + p));
    c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    ClusterEntityStore.configure(c, CAPACITY);
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(c);
    members.add(hz);
    return hz;
  }

  ClusterEntityStore store(HazelcastInstance hz) {
    ClusterEntityStore s = new ClusterEntityStore(hz, 1_000_000, () -> SET);
    stores.add(s);
    s.start();
    return s;
  }

  static EntityChange put(String id, String owner, int n) {
    EntityData d = EntityData.of(new EntityUid("Doc", id),
        Map.of("owner", new Value.Str(owner), "n", new Value.Num(java.math.BigDecimal.valueOf(n))), List.of());
    return new EntityChange.Put(d, RecordCodec.weight(d));
  }

  static EntityChange delete(String id) {
    return new EntityChange.Delete(new EntityUid("Doc", id));
  }

  static long write(EntityStore s, EntityChange... changes) throws Exception {
    return s.write(List.of(changes)).toCompletableFuture().get();
  }

  static Map<EntityUid, String> contents(EntityStore s) {
    Map<EntityUid, String> out = new LinkedHashMap<>();
    s.forEach(d -> out.put(d.uid(), RecordCodec.write(d).toString()));
    return out;
  }

  static void eventually(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aMemberThatJoinsAfterTheLogWrappedHoldsEveryRecordAtTheSameRevision() throws Exception {
    ClusterEntityStore a = store(member());
    ClusterEntityStore b = store(member());
    Map<String, String> owners = new LinkedHashMap<>();
    long last = 0;
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 6; i++) {
        EntityStore via = (i % 2 == 0) ? a : b; // writes from both members
        String id = "d" + (round * 3 + i);
        last = write(via, put(id, "u" + round, i));
        owners.put(id, "u" + round);
        last = write(via, put("shared", "u" + round + "-" + i, i)); // the same record, again and again
        owners.put("shared", "u" + round + "-" + i);
      }
      last = write(a, delete("d" + (round * 3)), put("d" + (round * 3 + 1), "patched", round));
      owners.remove("d" + (round * 3));
      owners.put("d" + (round * 3 + 1), "patched");
    }
    assertThat(last).as("many more writes than the log holds").isGreaterThan(5L * CAPACITY);
    long wanted = last;
    eventually(() -> a.revision() == wanted && b.revision() == wanted, "both members apply every write");

    ClusterEntityStore late = store(member());
    eventually(() -> late.revision() == wanted && late.notReady().isEmpty(), "the late member catches up");

    Map<EntityUid, String> expected = contents(a);
    assertThat(expected.keySet()).extracting(EntityUid::id).containsExactlyInAnyOrderElementsOf(owners.keySet());
    owners.forEach((id, owner) -> assertThat(a.get(new EntityUid("Doc", id)).orElseThrow().attrs().get("owner"))
        .isEqualTo(new Value.Str(owner)));
    assertThat(contents(late)).isEqualTo(expected);
    assertThat(contents(b)).as("a member present throughout agrees").isEqualTo(expected);
    assertThat(late.bytes()).isEqualTo(a.bytes());
    assertThat(late.size()).isEqualTo(a.size());

    // and it follows later writes like the others, with revisions that mean the same
    long next = write(late, put("after", "z", 1), delete("shared"));
    assertThat(next).isEqualTo(wanted + 1);
    eventually(() -> a.revision() == next && b.revision() == next, "the others apply the late member's write");
    assertThat(contents(a)).isEqualTo(contents(late)).isEqualTo(contents(b));
  }

  @Test
  void aMemberPastTheLogsHeadWithNoSnapshotIsNotReadyAndSaysWhy() throws Exception {
    HazelcastInstance hz = member();
    // writes appended with no store running, so nobody wrote a snapshot of them
    var log = hz.<String>getRingbuffer(ClusterEntityStore.LOG);
    for (int i = 0; i < CAPACITY + 3; i++) {
      log.add(ClusterEntityStore.encode(List.of(put("d" + i, "u", i))));
    }
    ClusterEntityStore s = store(hz);
    eventually(() -> s.notReady().filter(r -> r.contains("no snapshot covers")).isPresent(), "not ready, with why");
    assertThat(s.notReady().orElseThrow()).contains("needs revision 1").contains("log starts at 4");
    assertThat(s.size()).as("it holds nothing partial").isZero();
    assertThat(s.revision()).isZero();
    Optional<String> reason = s.notReady();
    assertThat(reason).isPresent();
  }
}

package dev.verdict.server.entities;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.TestServer;
import dev.verdict.server.cluster.ClusterNode;
import dev.verdict.server.cluster.ClusterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that joins a cluster whose entity log was overwritten with no snapshot covering it
 * does not decide on partial records: not ready with the reason, decisions 503; once a snapshot
 * covers the gap it loads it and serves, over real HTTP.
 */
class EntityStoreBehindTest {
  static int freePort() throws Exception {
    return dev.verdict.server.FreePorts.next();
  }

  static EntityData account(String id, String owner) {
    return EntityData.of(new EntityUid("Account", id),
        Map.of("owner", new Value.Str(owner), "tenant", new Value.Str("t1")), List.of());
  }

  @Test
  void notReadyWithTheReasonUntilASnapshotCoversTheGap(@TempDir Path tmp) throws Exception {
    System.setProperty("verdict.entity.log.capacity", "8");
    int first = freePort();
    int second = freePort();
    String name = "behind-" + UUID.randomUUID();
    List<String> members = List.of("127.0.0.1:" + first, "127.0.0.1:" + second);
    HazelcastInstance other = ClusterNode.start(ClusterSettings.tcp(name, members, first, "127.0.0.1")
        .withTimings(0, 1, 5));
    try {
      // 11 writes the log of 8 no longer holds whole, and no snapshot of them (no store ran)
      var log = other.<String>getRingbuffer(ClusterEntityStore.LOG);
      List<EntityData> records = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        EntityData a = account("a" + i, "owner" + i);
        records.add(a);
        log.add(ClusterEntityStore.encode(List.of(new EntityChange.Put(a, RecordCodec.weight(a)))));
      }
      ClusterSettings joining = ClusterSettings.tcp(name, members, second, "127.0.0.1").withTimings(0, 1, 5);
      try (TestServer s = new TestServer(tmp, c -> c.withCluster(Optional.of(joining),
          ServerConfig.DecisionCacheMode.LOCAL))) {
        String read = "{\"subject\":" + TestServer.subject("owner0") + ",\"resource\":{\"type\":\"Account\","
            + "\"id\":\"a0\"},\"action\":{\"name\":\"read\"}}";
        TestServer.Response ready = s.get("/health/ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ready.body().contains("no snapshot covers")) { // first it looks for one
          assertThat(ready.status()).as(ready.body()).isEqualTo(503);
          assertThat(System.nanoTime()).as(ready.body()).isLessThan(deadline);
          Thread.sleep(50);
          ready = s.get("/health/ready");
        }
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("reason").asText()).contains("entity store")
            .contains("needs revision 1").contains("log starts at 4");
        TestServer.Response refused = s.post("/access/v1/evaluation", read);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().toString()).contains("revision_not_reached").contains("not ready");

        new EntitySnapshots(other).publish(11, records); // as the oldest member's store would
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (s.get("/health/ready").status() != 200) {
          assertThat(System.nanoTime()).as(s.get("/health/ready").body()).isLessThan(deadline);
          Thread.sleep(50);
        }
        JsonNode decided = s.post("/access/v1/evaluation", read, "X-Verdict-Min-Revision", "11").json();
        assertThat(decided.get("decision").asBoolean()).as(decided.toString()).isTrue();
        String other10 = read.replace("owner0", "owner10");
        assertThat(s.post("/access/v1/evaluation", other10).json().get("decision").asBoolean())
            .as("a0 is owner0's, not owner10's").isFalse();
        String last = other10.replace("\"a0\"", "\"a10\"");
        assertThat(s.post("/access/v1/evaluation", last).json().get("decision").asBoolean())
            .as("the last record of the snapshot").isTrue();
      }
    } finally {
      System.clearProperty("verdict.entity.log.capacity");
      other.getLifecycleService().terminate();
    }
  }
}

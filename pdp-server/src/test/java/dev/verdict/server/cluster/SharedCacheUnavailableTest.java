package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.data.EntityUid;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared decision cache promises that whatever goes wrong in the cluster is a miss and the
 * node decides on its own: also when Hazelcast refuses a call outright rather than failing its
 * future (a member that is no longer active throws at once).
 */
class SharedCacheUnavailableTest {

  @Test
  void aMemberThatRefusesEveryCallIsAMissAndTheNodeDecidesAlone() throws Exception {
    ClusterStoresTest.HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
    int port = dev.verdict.server.FreePorts.next();
    HazelcastInstance member = ClusterNode.start(ClusterSettings.tcp("cache-down-" + UUID.randomUUID(),
        List.of("127.0.0.1:" + port), port, "127.0.0.1").withTimings(0, 1, 5));
    ClusterDecisionCache shared = new ClusterDecisionCache(member, 1_000);
    Engine engine = Engine.builder(PolicySource.files(Map.of("p.verdict", """
        policy p on Doc {
          @id("owner") permit read when resource.owner == principal.id
        }
        """))).cache(new TieredDecisionCache(DecisionCache.local(1 << 20), shared)).buildOrThrow();
    member.getLifecycleService().terminate();

    for (String doc : List.of("d1", "d2")) {
      Request read = new Request(
          new EntityData(new EntityUid("User", "alice"), Map.of(), List.of(), false),
          new EntityData(new EntityUid("Doc", doc), Map.of("owner", new Value.Str("alice")), List.of(), false),
          "read", Map.of(), List.of());
      Decision decided = engine.decideAsync(read, dev.verdict.engine.DecideOptions.ENFORCE).toCompletableFuture().get();
      assertThat(decided.allowed()).as(doc).isTrue();
    }
    assertThat(shared.stats().misses()).isEqualTo(2);
  }
}

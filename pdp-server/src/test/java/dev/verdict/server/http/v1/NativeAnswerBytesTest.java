package dev.verdict.server.http.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.DecisionJson;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.rate.FailMode;
import dev.verdict.server.http.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/decisions} answers written straight to a generator are the bytes the tree they
 * replace gave (the tree is rebuilt here as the handler built it), for decisions of every
 * shape: allowed and denied, with errors, masks, denied writes, traces and rates.
 */
class NativeAnswerBytesTest {
  static final String POLICY = """
      policy accounts on Account {
        @id("read") @owner("team-accounts")
        permit read
        @reason("the account is frozen")
        forbid read when resource.frozen
        permit update when resource.limit > 5
        fields read {
          holder.ssn: hide
          balance: partial(2)
        }
        fields write {
          owner: deny
        }
      }
      """;

  /** The answer as the handler built it before: a tree, then encoded. */
  static String tree(String id, String version, int ttl, List<EntityData> targets, List<Request> asked,
      List<Decision> decided) {
    ObjectNode out = JsonCodec.object();
    out.put("decisionId", id);
    out.put("policyVersion", version);
    ArrayNode results = JsonCodec.object().arrayNode();
    for (int i = 0; i < decided.size(); i++) {
      Decision d = decided.get(i);
      ObjectNode r = JsonCodec.object();
      ObjectNode res = r.putObject("resource");
      res.put("type", targets.get(i).uid().type());
      res.put("id", targets.get(i).uid().id());
      r.put("action", asked.get(i).action());
      DecisionJson.write(d, r);
      if (d.rate().isPresent()) {
        RateDecision rate = d.rate().get();
        ObjectNode o = r.putObject("rate");
        o.put("intent", rate.intent());
        o.put("name", rate.limit());
        o.put("limit", rate.quota());
        o.put("remaining", rate.remaining());
        o.put("reset", rate.resetAfter().getSeconds() + (rate.resetAfter().getNano() > 0 ? 1 : 0));
        o.put("retry_after", rate.retryAfter().getSeconds() + (rate.retryAfter().getNano() > 0 ? 1 : 0));
        rate.unavailable().ifPresent(m -> o.put("unavailable", m.word()));
      } else {
        r.putNull("rate");
      }
      results.add(r);
    }
    out.put("cacheTtlSeconds", ttl);
    out.set("results", results);
    return JsonCodec.encode(out).toString(StandardCharsets.UTF_8);
  }

  @Test
  void theAnswerIsTheTreesBytes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    PolicySet set = Verdict.load(dir).policySet().orElseThrow();
    EntityData alice = EntityData.of(new EntityUid("User", "alice"), Map.of(), List.of());
    List<EntityData> accounts = List.of(
        EntityData.of(new EntityUid("Account", "a1"), Map.of("frozen", Value.Bool.FALSE), List.of()),
        EntityData.of(new EntityUid("Account", "a \"2\" é"), Map.of("frozen", Value.Bool.TRUE), List.of()),
        EntityData.of(new EntityUid("Account", "a3"), Map.of("limit", Value.Num.of(9)), List.of()),
        EntityData.of(new EntityUid("Account", "a4"), Map.of(), List.of()));
    List<EntityData> targets = new ArrayList<>();
    List<Request> asked = new ArrayList<>();
    List<Decision> decided = new ArrayList<>();
    int n = 0;
    for (EntityData account : accounts) {
      for (String action : List.of("read", "update", "delete")) {
        Request r = new Request(alice, account, action, Map.of(), List.of());
        Decision d = Authorizer.decide(set, r, n % 2 == 0);
        if (n % 3 == 1) {
          d = d.withRate(new RateDecision("transfer", "daily", "k", n % 2 == 0, 10, Duration.ofMinutes(1), 3,
              Duration.ofMillis(1_500), Duration.ofSeconds(42), n % 5 == 1 ? Optional.of(FailMode.LOCAL)
              : Optional.empty()));
        }
        targets.add(account);
        asked.add(r);
        decided.add(d);
        n++;
      }
    }
    assertThat(decided).anyMatch(d -> d.trace().isPresent()).anyMatch(d -> d.rate().isPresent())
        .anyMatch(d -> !d.errors().isEmpty()).anyMatch(d -> !d.readMaskText().isEmpty())
        .anyMatch(d -> d.rate().flatMap(RateDecision::unavailable).isPresent());
    for (int ttl : new int[] {0, 30}) {
      String streamed = JsonCodec.write(g -> DecisionsHandler.answer(g, "id-1", "sha256:v", ttl, targets, asked,
          decided)).toString(StandardCharsets.UTF_8);
      assertThat(streamed).isEqualTo(tree("id-1", "sha256:v", ttl, targets, asked, decided));
    }
  }
}

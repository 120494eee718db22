package dev.verdict.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.eval.RequestJson;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Refusals are counted by the policy (or limit) that refused, with bounded labels. */
class RefusalMetricsTest {
  @Test
  void countsByPolicyDefaultAndLimit() throws Exception {
    PolicySet set = Verdict.load(Path.of("../policies/banking")).policySet().orElseThrow();
    ServerMetrics metrics = new ServerMetrics(ServerMetrics.newRegistry());
    metrics.serving(set);
    Decision frozen = Authorizer.decide(set, RequestJson.parse(new ObjectMapper().readTree("""
        {"principal": {"id": "alice", "roles": ["customer"], "tenant": "bank1", "branch": "b-leeds", "trust": 90},
         "resource": {"type": "Account", "id": "x", "owner": "alice", "tenant": "bank1", "frozen": true},
         "action": "transfer", "context": {"mfa": true}}
        """)));
    assertThat(frozen.reasons()).containsExactly("frozen");
    metrics.refusal(frozen, "transfer", "funds.transfer");
    Decision limited = frozen.withRate(new RateDecision("funds.transfer", "transfers", "alice", false, 5,
        Duration.ofMinutes(1), 0, Duration.ofSeconds(12), Duration.ofMinutes(1)));
    metrics.refusal(new Decision(Decision.Outcome.ALLOW, frozen.reasons(), frozen.errors(), frozen.readMask(),
        frozen.writeDenied(), frozen.rate(), frozen.trace(), frozen.policyVersion())
        .withRate(limited.rate().orElseThrow()), "transfer", "funds.transfer");
    String m = metrics.scrape();
    assertThat(m).contains("verdict_refusals_total{action=\"transfer\",intent=\"funds.transfer\",outcome=\"deny\","
        + "policy=\"accounts\"} 1.0");
    assertThat(m).contains("verdict_refusals_total{action=\"transfer\",intent=\"funds.transfer\","
        + "outcome=\"rate_limited\",policy=\"limit:transfers\"} 1.0");
  }

  /** Labels arrive as new strings on every request: equal labels must find the one series, not add another. */
  @Test
  void equalLabelsFromDistinctStringsCountInOneSeries() throws Exception {
    PolicySet set = Verdict.load(Path.of("../policies/banking")).policySet().orElseThrow();
    ServerMetrics metrics = new ServerMetrics(ServerMetrics.newRegistry());
    metrics.serving(set);
    Decision frozen = Authorizer.decide(set, RequestJson.parse(new ObjectMapper().readTree("""
        {"principal": {"id": "alice", "roles": ["customer"], "tenant": "bank1", "branch": "b-leeds", "trust": 90},
         "resource": {"type": "Account", "id": "x", "owner": "alice", "tenant": "bank1", "frozen": true},
         "action": "transfer", "context": {"mfa": true}}
        """)));
    for (int i = 0; i < 3; i++) {
      String action = new String("transfer".toCharArray());
      String intent = new String("funds.transfer".toCharArray());
      metrics.refusal(frozen, action, intent);
      metrics.decision(new String("deny".toCharArray()), new String("Account".toCharArray()), action, intent, 1_000);
    }
    String m = metrics.scrape();
    assertThat(m).contains("verdict_refusals_total{action=\"transfer\",intent=\"funds.transfer\",outcome=\"deny\","
        + "policy=\"accounts\"} 3.0");
    assertThat(m).contains("verdict_decisions_total{action=\"transfer\",intent=\"funds.transfer\",outcome=\"deny\","
        + "resource_type=\"Account\"} 3.0");
  }
}

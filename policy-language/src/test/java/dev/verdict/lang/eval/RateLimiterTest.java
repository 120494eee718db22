package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.rate.InMemoryBudgetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimiterTest {
  static final String SET = """
      intent "auth.login"
      policy logins on Session { permit login }
      limit per_user on intent "auth.login" by principal.id {
        5 per 1m
      }
      limit per_ip on intent "auth.login" by context.ip {
        2 per 1m
      }
      """;

  private static Decision login(PolicySet set, InMemoryBudgetStore store, String ip) throws Exception {
    Request r = RequestJson.parse(new ObjectMapper().readTree(
        "{\"principal\": {\"id\": \"alice\"}, \"resource\": {\"type\": \"Session\", \"id\": \"s\"},"
            + " \"action\": \"login\", \"context\": {\"intent\": \"auth.login\", \"ip\": \"" + ip + "\"}}"));
    return RateLimiter.apply(set, r, Authorizer.decide(set, r), store, 1_000_000L);
  }

  @Test
  void aRequestOneLimitRefusesConsumesNothingFromTheOthers(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), SET);
    PolicySet set = Verdict.load(dir).policySet().orElseThrow();
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    assertThat(login(set, store, "10.0.0.1").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(login(set, store, "10.0.0.1").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    // The address is spent; these refusals must not eat alice's own budget.
    for (int i = 0; i < 3; i++) {
      Decision refused = login(set, store, "10.0.0.1");
      assertThat(refused.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
      assertThat(refused.rate().orElseThrow().limit()).isEqualTo("per_ip");
    }
    // alice has used 2 of her 5: three more from other addresses pass, the fourth does not.
    assertThat(login(set, store, "10.0.0.2").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(login(set, store, "10.0.0.3").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(login(set, store, "10.0.0.4").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    Decision fourth = login(set, store, "10.0.0.5");
    assertThat(fourth.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    assertThat(fourth.rate().orElseThrow().limit()).isEqualTo("per_user");
  }
}

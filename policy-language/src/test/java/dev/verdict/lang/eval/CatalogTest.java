package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.Verdict;
import dev.verdict.lang.route.Route;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A compiled set tells what it declares as plain values, with annotations and locations. */
class CatalogTest {
  static final PolicySet BANKING = Verdict.load(Path.of("../policies/banking")).policySet().orElseThrow();

  @Test
  void routesCarryTheirTargetIntentAndLocation() {
    Route transfers = BANKING.catalog().routes().stream()
        .filter(r -> r.template().equals("/accounts/{id}/transfers")).findFirst().orElseThrow();
    assertThat(transfers.text()).isEqualTo("POST /accounts/{id}/transfers");
    assertThat(transfers.resourceType()).isEqualTo("Account");
    assertThat(transfers.idParam()).contains("id");
    assertThat(transfers.action()).isEqualTo("transfer");
    assertThat(transfers.intent()).contains("funds.transfer");
    assertThat(transfers.span().file()).endsWith("routes.verdict");
    assertThat(transfers.span().line()).isEqualTo(6);
    assertThat(BANKING.routes()).isEqualTo(BANKING.catalog().routes());
  }

  @Test
  void rulesCarryTheirIdPolicyEffectAndAnnotations() {
    Catalog.Rule isolation = BANKING.catalog().rules().stream()
        .filter(r -> r.id().equals("tenant-isolation")).findFirst().orElseThrow();
    assertThat(isolation.policy()).isEqualTo("accounts");
    assertThat(isolation.effect()).isEqualTo("forbid");
    assertThat(isolation.annotations()).isEqualTo(Map.of("id", "tenant-isolation",
        "reason", "the account belongs to another tenant"));
    assertThat(isolation.span().file()).endsWith("accounts.verdict");
    assertThat(isolation.span().line()).as("its annotations start it").isEqualTo(5);
  }

  @Test
  void limitsCarryTheirIntent() {
    assertThat(BANKING.catalog().limits()).extracting(Catalog.Limit::name, Catalog.Limit::intent)
        .contains(org.assertj.core.groups.Tuple.tuple("transfers", "funds.transfer"),
            org.assertj.core.groups.Tuple.tuple("logins", "auth.login"));
    assertThat(BANKING.intentFor("Account", "transfer")).isEqualTo(Optional.of("funds.transfer"));
  }
}

package dev.verdict.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.sdk.plan.Columns;
import dev.verdict.sdk.plan.PlanFilter;
import dev.verdict.sdk.plan.SqlWhere;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} in both modes: the same filter from the server ({@code POST /v1/plan}) and from an
 * embedded engine, and a closed answer (list nothing, saying why) when there is no plan to have.
 */
class PlanClientTest {
  private static final Principal ALICE = Principal.of("alice").roles("customer").attr("tenant", "bank1");
  private static final Columns COLUMNS = Columns.builder().column("tenant", "a.tenant").column("owner", "a.owner")
      .build();

  @TempDir
  Path tmp;

  @Test
  void remoteAndEmbeddedPlansAreTheSameFilter() throws Exception {
    try (Pdp pdp = new Pdp(tmp); VerdictClient remote = VerdictClient.remote(pdp.uri()).build();
        VerdictClient embedded = VerdictClient.embedded(Pdp.BANKING).noWatch().build()) {
      PlanFilter fromServer = remote.plan(ALICE, "Account", "read");
      PlanFilter inProcess = embedded.plan(ALICE, "Account", "read");
      assertThat(fromServer.failure()).isEmpty();
      assertThat(fromServer.kind()).isEqualTo(PlanFilter.Kind.CONDITIONAL);
      SqlWhere where = SqlWhere.of(fromServer, COLUMNS);
      assertThat(where.parameters()).containsExactly("bank1", "alice");
      assertThat(where.sql()).contains("a.tenant").contains("a.owner");
      assertThat(SqlWhere.of(inProcess, COLUMNS)).isEqualTo(where);
    }
  }

  @Test
  void withThePdpDownThePlanListsNothingAndSaysWhy() {
    try (VerdictClient remote = VerdictClient.remote(URI.create("http://127.0.0.1:1")).retries(0)
        .requestTimeout(Duration.ofSeconds(2)).build()) {
      PlanFilter p = remote.plan(ALICE, "Account", "read");
      assertThat(p.kind()).isEqualTo(PlanFilter.Kind.ALWAYS_DENIED);
      assertThat(p.failure()).get().asString().isNotBlank();
      assertThat(SqlWhere.of(p, COLUMNS).sql()).isEqualTo("1 = 0");
    }
  }

  @Test
  void rulesAFilterCannotExpressAreAFailureThatSaysToDecidePerResource() throws Exception {
    Path p = tmp.resolve("sized");
    Files.createDirectories(p);
    Files.writeString(p.resolve("docs.verdict"), "entity User\nentity Doc { tags: Set<String> }\n"
        + "policy docs on Doc {\n  permit read when size(resource.tags) > 2\n}\n");
    try (VerdictClient embedded = VerdictClient.embedded(p).noWatch().build()) {
      PlanFilter plan = embedded.plan(Principal.of("pat"), "Doc", "read");
      assertThat(plan.kind()).isEqualTo(PlanFilter.Kind.ALWAYS_DENIED);
      assertThat(plan.failure()).get().asString().contains("decide per resource");
    }
  }

  @Test
  void noSetLoadedIsAFailure() {
    try (VerdictClient embedded = VerdictClient.embedded(tmp.resolve("missing")).noWatch().build()) {
      PlanFilter plan = embedded.plan(ALICE, "Account", "read");
      assertThat(plan.kind()).isEqualTo(PlanFilter.Kind.ALWAYS_DENIED);
      assertThat(plan.failure()).get().asString().startsWith("no policy set is loaded");
      assertThat(List.of(plan.resourceType())).containsExactly("Account");
    }
  }
}

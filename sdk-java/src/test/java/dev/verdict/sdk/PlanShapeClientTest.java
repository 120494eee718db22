package dev.verdict.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.sdk.plan.PlanFilter;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.VerdictServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan that does not fit its action's declared shape ({@code action NAME { … }}) is an invalid
 * request in both modes: the SDK's closed plan (list nothing) saying where, as for a decision.
 */
class PlanShapeClientTest {
  private static final String SET = "entity User\nentity Account { owner: String }\nentity Card\n"
      + "action transfer {\n  resource: Account\n  context {\n    amount: Number\n  }\n}\n"
      + "policy accounts on Account {\n  permit transfer when resource.owner == principal.id\n}\n";

  @Test
  void bothModesRefuseAPlanForATypeTheActionDoesNotApplyTo(@TempDir Path tmp) throws Exception {
    Path set = Files.createDirectories(tmp.resolve("set"));
    Files.writeString(set.resolve("p.verdict"), SET);
    VerdictServer server = VerdictServer.start(ServerConfig.defaults(set, 0)
        .withDecisionLog(ServerConfig.DecisionLogTarget.OFF, 1000), Optional.empty(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try (VerdictClient remote = VerdictClient.remote(URI.create("http://127.0.0.1:" + server.port()))
            .requestTimeout(Duration.ofSeconds(30)).build();
        VerdictClient embedded = VerdictClient.embedded(set).noWatch().build()) {
      for (VerdictClient client : new VerdictClient[] {embedded, remote}) {
        PlanFilter card = client.plan(Principal.of("alice"), "Card", "transfer", Map.of("amount", 3));
        assertThat(card.kind()).isEqualTo(PlanFilter.Kind.ALWAYS_DENIED);
        assertThat(card.failure()).get().asString().contains("$.resourceType").contains("invalid");

        PlanFilter noAmount = client.plan(Principal.of("alice"), "Account", "transfer");
        assertThat(noAmount.kind()).isEqualTo(PlanFilter.Kind.ALWAYS_DENIED);
        assertThat(noAmount.failure()).get().asString().contains("$.context.amount");

        PlanFilter fits = client.plan(Principal.of("alice"), "Account", "transfer", Map.of("amount", 3));
        assertThat(fits.failure()).isEmpty();
        assertThat(fits.kind()).isEqualTo(PlanFilter.Kind.CONDITIONAL);
      }
    } finally {
      server.stop();
    }
  }
}

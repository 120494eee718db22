package dev.verdict.sdk;

import static dev.verdict.sdk.People.A1;
import static dev.verdict.sdk.People.ALICE;
import static dev.verdict.sdk.People.BOB;
import static dev.verdict.sdk.People.SAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote client against a real server: allow, deny, masks, batch, AuthZEN, async, routes. */
class RemoteClientTest {
  @TempDir
  static Path tmp;
  static Pdp pdp;
  static VerdictClient client;
  static VerdictClient authzen;

  static final String ACCOUNT = "{\"id\":\"a1\",\"owner\":\"alice\",\"balance\":2500,"
      + "\"holder\":{\"name\":\"Alice\",\"ssn\":\"123-45-6789\"},\"number\":\"4000123412341234\"}";

  /** The build machine is shared and busy: a deadline that never decides a test's outcome. */
  static final java.time.Duration SLOW_MACHINE = java.time.Duration.ofSeconds(30);

  @BeforeAll
  static void start() throws Exception {
    pdp = new Pdp(tmp);
    client = VerdictClient.remote(pdp.uri()).requestTimeout(SLOW_MACHINE).noCache().build();
    authzen = VerdictClient.remote(pdp.uri()).requestTimeout(SLOW_MACHINE).protocol(Protocol.AUTHZEN).noCache()
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    authzen.close();
    pdp.close();
  }

  @Test
  void ownerIsAllowedWithMasks() throws Exception {
    Decision d = client.check(ALICE, A1, "read");
    assertThat(d.allowed()).isTrue();
    assertThat(d.failure()).isEmpty();
    assertThat(d.reasons()).containsExactly("owner-access");
    assertThat(d.readMask()).containsEntry("holder.ssn", "partial(4)");
    assertThat(d.writeDenied()).contains("owner", "tenant", "balance");
    assertThat(d.policyVersion()).isEqualTo(pdp.version());
    assertThat(d.decisionId()).matches("[0-9a-f]{32}");
    JsonNode masked = d.applyReadMask(Json.MAPPER.readTree(ACCOUNT));
    assertThat(masked.at("/holder/ssn").asText()).isEqualTo("*******6789");
    assertThat(masked.at("/balance").asInt()).isEqualTo(2500);
    assertThat(d.deniedWrites(Json.MAPPER.readTree("{\"holder\":{\"name\":\"A\"},\"owner\":\"mallory\"}")))
        .containsExactly("owner");
  }

  @Test
  void anotherCustomerIsDenied() {
    Decision d = client.check(BOB, A1, "read");
    assertThat(d.allowed()).isFalse();
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(d.failure()).isEmpty();
  }

  @Test
  void supportSeesTheStricterMasks() throws Exception {
    Decision d = client.check(SAM, A1, "read");
    assertThat(d.readMask()).containsEntry("balance", "redact").containsEntry("holder.ssn", "hide")
        .containsEntry("number", "partial(4)");
    Map<String, Object> masked = d.applyReadMask(Json.MAPPER.readValue(ACCOUNT, Map.class));
    assertThat(masked.get("balance")).isEqualTo("[REDACTED]");
    assertThat(((Map<?, ?>) masked.get("holder")).containsKey("ssn")).isFalse();
    assertThat(masked.get("number")).isEqualTo("************1234");
  }

  @Test
  void batchAnswersEveryPairInOneCall() {
    Resource a2 = Resource.of("Account", "a2").attr("owner", "bob").attr("tenant", "bank1");
    List<Decision> ds = client.checkAll(ALICE, List.of(A1, a2), List.of("read", "update", "read"));
    assertThat(ds).extracting(Decision::allowed).containsExactly(true, true, false, false);
    assertThat(ds).extracting(Decision::policyVersion).containsOnly(pdp.version());
  }

  @Test
  void authZenAnswersAlike() {
    Decision d = authzen.check(ALICE, A1, "read");
    assertThat(d.allowed()).isTrue();
    assertThat(d.reasons()).containsExactly("owner-access");
    assertThat(d.readMask()).isEqualTo(client.check(ALICE, A1, "read").readMask());
    assertThat(d.policyVersion()).isEqualTo(pdp.version());
    List<Decision> ds = authzen.checkAll(ALICE, List.of(A1), List.of("read", "delete"));
    assertThat(ds).extracting(Decision::allowed).containsExactly(true, false);
    assertThat(authzen.check(BOB, A1, "read").allowed()).isFalse();
  }

  @Test
  void asyncFormsComplete() {
    Decision d = client.checkAsync(ALICE, A1, "read").join();
    assertThat(d.allowed()).as(d.toString()).isTrue();
    assertThat(client.checkAllAsync(ALICE, List.of(A1), List.of("read"), Map.of()).join()).hasSize(1);
  }

  @Test
  void contextReachesTheRules() {
    Decision without = client.check(ALICE, A1, "transfer");
    assertThat(without.allowed()).isFalse();
    assertThat(without.reasons()).containsExactly("transfer-needs-mfa");
    Decision with = client.check(Principal.of("carol").roles("customer").attr("tenant", "bank1").attr("trust", 90),
        Resource.of("Account", "c1").attr("owner", "carol").attr("tenant", "bank1").attr("frozen", false),
        "transfer", Map.of("mfa", true));
    assertThat(with.allowed()).isTrue();
    assertThat(with.rate()).isPresent();
    assertThat(with.rate().get().intent()).isEqualTo("funds.transfer");
  }

  @Test
  void rateLimitedAnswersCarryRetryAfter() {
    Principal dave = Principal.of("dave").roles("customer").attr("tenant", "bank1").attr("trust", 10);
    Resource d1 = Resource.of("Account", "d1").attr("owner", "dave").attr("tenant", "bank1").attr("frozen", false);
    assertThat(client.check(dave, d1, "transfer", Map.of("mfa", true)).allowed()).isTrue();
    Decision second = client.check(dave, d1, "transfer", Map.of("mfa", true));
    assertThat(second.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    assertThat(second.allowed()).isFalse();
    assertThat(second.rate().orElseThrow().retryAfter().getSeconds()).isPositive();
  }

  @Test
  void routeChecksUseTheLocalRouteTable() {
    try (VerdictClient routed = VerdictClient.remote(pdp.uri()).requestTimeout(SLOW_MACHINE).routes(pdp.policies)
        .noCache().build()) {
      Decision d = routed.check("GET", "/accounts/A-1001", ALICE);
      assertThat(d.allowed()).isTrue();
      assertThat(d.readMask()).containsEntry("holder.ssn", "partial(4)");
      assertThat(routed.check("GET", "/accounts/A-1001", BOB).allowed()).isFalse();
      Decision none = routed.check("DELETE", "/nowhere", ALICE);
      assertThat(none.allowed()).isFalse();
      assertThat(none.reasons()).containsExactly("no-route");
    }
    Decision without = client.check("GET", "/accounts/A-1001", ALICE);
    assertThat(without.allowed()).isFalse();
    assertThat(without.failure()).get().asString().contains("RemoteBuilder.routes");
  }
}

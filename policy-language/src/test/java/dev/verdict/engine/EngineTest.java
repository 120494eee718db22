package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  static final String SCHEMA = """
      entity User { tenant: String }
      entity Account { owner: String, tenant: String, ssn: String }
      entity Report {}
      """;
  static final String POLICIES = """
      role owner on Account when resource.owner == principal.id

      policy accounts on Account {
        @id("owner") permit read, transfer to owner
        @id("tenant") forbid * unless resource.tenant == principal.tenant
        fields read {
          ssn: hide unless owner
        }
      }

      policy reports on Report {
        @id("after-launch") permit read when context.now > time("2020-01-01T00:00:00Z")
      }
      """;
  static final String ROUTES = """
      route GET  "/accounts/{id}"           -> Account[id].read
      route POST "/accounts/{id}/transfers" -> Account[id].transfer intent "funds.transfer"

      limit transfers on intent "funds.transfer" by principal.id {
        2 per 1m
      }
      """;

  static Map<String, String> files() {
    return Map.of("schema.verdict", SCHEMA, "accounts.verdict", POLICIES, "routes.verdict", ROUTES);
  }

  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-01T12:00:00Z"), ZoneOffset.UTC);

  static EntityData user(String id, String tenant) {
    return new EntityData(new EntityUid("User", id), Map.of("tenant", new Value.Str(tenant)), List.of(), false);
  }

  static EntityData account(String id, String owner, String extra) {
    Map<String, Value> attrs = new HashMap<>();
    attrs.put("owner", new Value.Str(owner));
    attrs.put("tenant", new Value.Str("bank1"));
    attrs.put("ssn", new Value.Str("123-45-" + extra));
    return new EntityData(new EntityUid("Account", id), attrs, List.of(), false);
  }

  static Request request(EntityData principal, EntityData resource, String action) {
    return new Request(principal, resource, action, Map.of(), List.of());
  }

  @Test
  void decidesMasksAndLimitsThroughOneEngine() {
    Engine engine = Engine.builder(PolicySource.files(files())).clock(CLOCK).buildOrThrow();

    Decision owner = engine.decide(request(user("alice", "bank1"), account("a1", "alice", "6789"), "read"));
    assertThat(owner.allowed()).isTrue();
    assertThat(owner.reasons()).containsExactly("owner");
    assertThat(owner.readMask()).isEmpty();

    Decision other = engine.decide(request(user("bob", "bank1"), account("a1", "alice", "6789"), "read"));
    assertThat(other.outcome()).isEqualTo(Decision.Outcome.DENY);

    // the service asking directly falls under the routed intent's limit: 2 per minute
    Request transfer = request(user("alice", "bank1"), account("a1", "alice", "6789"), "transfer");
    assertThat(engine.decide(transfer).outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(engine.decide(transfer).outcome()).isEqualTo(Decision.Outcome.ALLOW);
    Decision third = engine.decide(transfer);
    assertThat(third.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    assertThat(third.rate()).hasValueSatisfying(r -> assertThat(r.limit()).isEqualTo("transfers"));

    // a what-if question spends nothing and is answered by the rules alone
    assertThat(engine.decide(transfer, DecideOptions.WHAT_IF).outcome()).isEqualTo(Decision.Outcome.ALLOW);
  }

  @Test
  void theEngineClockStampsNowWhateverTheCallerSends() {
    Clock before = Clock.fixed(Instant.parse("2019-06-01T00:00:00Z"), ZoneOffset.UTC);
    Engine engine = Engine.builder(PolicySource.files(files())).clock(before).buildOrThrow();
    EntityData report = new EntityData(new EntityUid("Report", "r1"), Map.of(), List.of(), false);
    Request sneaky = new Request(user("alice", "bank1"), report, "read",
        Map.of("now", new Value.Str("2030-01-01T00:00:00Z")), List.of());
    assertThat(engine.decide(sneaky).outcome()).isEqualTo(Decision.Outcome.DENY);

    Engine later = Engine.builder(PolicySource.files(files())).clock(CLOCK).buildOrThrow();
    assertThat(later.decide(sneaky).outcome()).isEqualTo(Decision.Outcome.ALLOW);
  }

  @Test
  void batchesAnswerResourceMajorOnOneVersion() {
    Engine engine = Engine.builder(PolicySource.files(files())).clock(CLOCK).buildOrThrow();
    List<Decision> ds = engine.decideBatch(user("alice", "bank1"),
        List.of(account("a1", "alice", "1"), account("a2", "bob", "2")), List.of("read", "delete"));
    assertThat(ds).extracting(Decision::outcome).containsExactly(
        Decision.Outcome.ALLOW, Decision.Outcome.DENY, Decision.Outcome.DENY, Decision.Outcome.DENY);
    assertThat(ds.get(2).readMask()).isEmpty();
    assertThat(ds).extracting(Decision::policyVersion).containsOnly(engine.active().orElseThrow().version());
  }

  @Test
  void maskedFieldsComeWithTheDecision() {
    String files = POLICIES.replace("@id(\"owner\") permit read, transfer to owner",
        "@id(\"owner\") permit read, transfer to owner\n  @id(\"same-tenant\") permit read");
    Map<String, String> f = new HashMap<>(files());
    f.put("accounts.verdict", files);
    Engine engine = Engine.builder(PolicySource.files(f)).clock(CLOCK).buildOrThrow();
    Decision d = engine.decide(request(user("bob", "bank1"), account("a1", "alice", "6789"), "read"));
    assertThat(d.allowed()).isTrue();
    assertThat(d.readMask().get("ssn").kind()).isEqualTo(FieldEffect.Kind.HIDE);
  }

  @Test
  void gatewayChecksFollowTheRoutes() {
    Engine engine = Engine.builder(PolicySource.files(files())).clock(CLOCK).buildOrThrow();
    GatewayCheck routed = engine.check("POST", "/accounts/a1/transfers?x=1", user("alice", "bank1"), Map.of());
    assertThat(routed).isInstanceOfSatisfying(GatewayCheck.Routed.class, r -> {
      assertThat(r.request().action()).isEqualTo("transfer");
      assertThat(r.request().resource().uid()).isEqualTo(new EntityUid("Account", "a1"));
      assertThat(r.request().context()).containsEntry("intent", new Value.Str("funds.transfer"))
          .containsEntry("path", new Value.Str("/accounts/a1/transfers"))
          .containsEntry("method", new Value.Str("POST"))
          .containsEntry("params", new Value.Rec(Map.of("id", new Value.Str("a1"))));
      // the resource's attributes are unknown at the gateway: the tenant forbid fails closed
      assertThat(r.decision().allowed()).isFalse();
    });
    GatewayCheck unrouted = engine.check("DELETE", "/accounts/a1", user("alice", "bank1"), Map.of());
    assertThat(unrouted).isInstanceOfSatisfying(GatewayCheck.Unrouted.class,
        u -> assertThat(u.reason()).isEqualTo("method-not-allowed"));
    assertThat(engine.check("GET", "/nowhere", user("alice", "bank1"), Map.of()))
        .isInstanceOfSatisfying(GatewayCheck.Unrouted.class, u -> assertThat(u.reason()).isEqualTo("no-route"));
  }

  @Test
  void listenersHearEveryDecisionAndCannotChangeIt() {
    List<DecisionEvent> seen = new ArrayList<>();
    List<UnroutedEvent> unrouted = new ArrayList<>();
    Engine engine = Engine.builder(PolicySource.files(files())).clock(CLOCK)
        .listener(e -> {
          throw new IllegalStateException("a broken listener");
        })
        .listener(new DecisionListener() {
          @Override
          public void onDecision(DecisionEvent event) {
            seen.add(event);
          }

          @Override
          public void onUnrouted(UnroutedEvent event) {
            unrouted.add(event);
          }
        })
        .buildOrThrow();
    Decision d = engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1"), "transfer"),
        DecideOptions.ENFORCE.withAttachment("req-7"));
    assertThat(d.allowed()).isTrue();
    engine.check("GET", "/nowhere", user("alice", "bank1"), Map.of());
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).intent()).isEqualTo("funds.transfer");
    assertThat(seen.get(0).attachment()).isEqualTo("req-7");
    assertThat(seen.get(0).nowMillis()).isEqualTo(CLOCK.millis());
    assertThat(seen.get(0).request().context()).containsEntry("now", new Value.Time(CLOCK.millis()));
    assertThat(unrouted).singleElement().satisfies(u -> assertThat(u.reason()).isEqualTo("no-route"));
  }

  @Test
  void aBrokenSetIsRefusedAndThePreviousKeepsServing(@TempDir Path dir) throws Exception {
    for (Map.Entry<String, String> f : files().entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    Engine engine = Engine.builder(PolicySource.directory(dir)).clock(CLOCK).buildOrThrow();
    String v1 = engine.active().orElseThrow().version();
    assertThat(engine.active().orElseThrow().files()).containsExactly("accounts.verdict", "routes.verdict",
        "schema.verdict");

    Files.writeString(dir.resolve("accounts.verdict"), "policy broken on Account { permit read when }");
    ReloadResult refused = engine.reload();
    assertThat(refused.ok()).isFalse();
    assertThat(refused.changed()).isFalse();
    assertThat(refused.version()).isEqualTo(v1);
    assertThat(refused.render()).contains("accounts.verdict");
    assertThat(engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1"), "read")).allowed())
        .isTrue();

    Files.writeString(dir.resolve("accounts.verdict"), POLICIES.replace("permit read, transfer", "permit transfer"));
    ReloadResult next = engine.reload();
    assertThat(next.ok()).isTrue();
    assertThat(next.changed()).isTrue();
    assertThat(next.previousVersion()).isEqualTo(v1);
    assertThat(engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1"), "read")).allowed())
        .isFalse();
    assertThat(engine.reload().changed()).isFalse();
  }

  @Test
  void withNoSetLoadedEveryRequestIsDeniedWithAReason(@TempDir Path dir) {
    Engine engine = Engine.builder(PolicySource.directory(dir.resolve("missing"))).clock(CLOCK).build();
    assertThat(engine.active()).isEmpty();
    assertThat(engine.lastReload().ok()).isFalse();
    Decision d = engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1"), "read"));
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(d.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("no policy set is loaded"));
    assertThat(engine.check("GET", "/accounts/a1", user("alice", "bank1"), Map.of()))
        .isInstanceOf(GatewayCheck.Unrouted.class);
  }

  @Test
  void aFailedFirstLoadIsAnExceptionWithTheDiagnosticsWhenAsked() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            Engine.builder(PolicySource.files(Map.of("a.verdict", "policy p on { permit }"))).buildOrThrow())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a.verdict:1");
  }

  @Test
  void aStagedSetServesOnlyOnceActivated() {
    Engine engine = Engine.builder(PolicySource.files(files())).clock(CLOCK).buildOrThrow();
    Request read = request(user("alice", "bank1"), account("a1", "alice", "1"), "read");
    String v1 = engine.active().orElseThrow().version();
    Map<String, String> next = new HashMap<>(files());
    next.put("accounts.verdict", POLICIES.replace("permit read, transfer", "permit transfer"));
    Engine.Staged staged = engine.stage(PolicySource.files(next));
    assertThat(staged.result().ok()).isTrue();
    assertThat(staged.policy()).isPresent();
    assertThat(engine.active().orElseThrow().version()).isEqualTo(v1);
    assertThat(engine.decide(read).allowed()).isTrue();
    engine.activate(staged.policy().get());
    assertThat(engine.active().orElseThrow().version()).isEqualTo(staged.result().version()).isNotEqualTo(v1);
    assertThat(engine.decide(read).allowed()).isFalse();

    Engine.Staged broken = engine.stage(PolicySource.files(Map.of("a.verdict", "policy {")));
    assertThat(broken.result().ok()).isFalse();
    assertThat(broken.policy()).isEmpty();
  }
}

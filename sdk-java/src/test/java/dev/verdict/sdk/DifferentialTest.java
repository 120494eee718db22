package dev.verdict.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded and remote answer alike: outcome, reasons, masks (applied to a document, the hash
 * included), write-denied fields and rate outcomes, over the banking example's test-block
 * principals, resources and contexts crossed with its actions, plus its routes.
 *
 * <p>The requests are a fixed list rebuilt from the set's test blocks rather than read from
 * them: the test runner's request builder is private to the language module, and a cross
 * product also asks the pairs no test names.
 */
class DifferentialTest {
  static final byte[] KEY = "differential-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final String DOCUMENT = "{\"owner\":\"alice\",\"balance\":2500,\"number\":\"4000123412341234\","
      + "\"holder\":{\"name\":\"Alice\",\"email\":\"alice@example.com\",\"ssn\":\"123-45-6789\"}}";

  static List<Principal> principals() {
    List<Principal> ps = new ArrayList<>();
    ps.add(People.ALICE);
    ps.add(People.BOB);
    ps.add(People.SAM);
    ps.add(Principal.of("sue").roles("support").attr("tenant", "bank2").attr("trust", 90));
    ps.add(Principal.of("tom").roles("teller").attr("tenant", "bank1").attr("branch", "b-leeds").attr("trust", 90));
    ps.add(Principal.of("tina").roles("teller").attr("tenant", "bank1").attr("branch", "b-york").attr("trust", 90));
    ps.add(Principal.of("ada").roles("auditor").attr("tenant", "bank1")
        .attr("region", Map.of("type", "Region", "id", "north")));
    ps.add(Principal.of("amy").roles("auditor").attr("tenant", "bank1"));
    ps.add(Principal.of("lou").roles("customer").attr("tenant", "bank1").attr("branch", "b-york").attr("trust", 30));
    ps.add(Principal.of("root").roles("admin").attr("tenant", "bank1").attr("trust", 90));
    ps.add(Principal.of("boss").roles("admin").attr("tenant", "bank2").attr("trust", 90));
    ps.add(Principal.of("anonymous").roles(List.of()));
    ps.add(Principal.of("statements").type("Service").attr("tenant", "bank1"));
    return ps;
  }

  static List<Resource> resources() {
    return List.of(People.A1,
        Resource.of("Account", "a1").attr("owner", "alice").attr("tenant", "bank1").attr("branch", "b-leeds")
            .attr("frozen", true),
        Resource.of("Account", "a1").parent("Branch", "b-leeds").attr("owner", "alice").attr("tenant", "bank1")
            .attr("branch", "b-leeds"),
        Resource.of("Account", "r4").attr("owner", "kim").attr("tenant", "bank1").attr("branch", "b-york")
            .attr("frozen", false),
        Resource.of("Account", "A-1001"),
        Resource.of("Account", "A-1002"));
  }

  static final List<String> ACTIONS = List.of("read", "update", "deposit", "transfer", "delete");
  static final List<Map<String, Object>> CONTEXTS = List.of(Map.of(), Map.of("mfa", true, "ip", "10.0.0.7"),
      Map.of("mfa", false, "ip", "203.0.113.9"));

  @Test
  void embeddedAndRemoteAgree(@TempDir Path tmp) throws Exception {
    try (Pdp pdp = new Pdp(tmp);
        VerdictClient remote = VerdictClient.remote(pdp.uri()).requestTimeout(Duration.ofSeconds(30)).noCache()
            .hashKey(KEY).routes(pdp.policies).build();
        VerdictClient embedded = VerdictClient.embedded(pdp.policies).noWatch().hashKey(KEY).build()) {
      JsonNode doc = Json.MAPPER.readTree(DOCUMENT);
      int compared = 0;
      int allowed = 0;
      for (Map<String, Object> ctx : CONTEXTS) {
        for (Principal p : principals()) {
          for (Resource r : resources()) {
            for (String a : ACTIONS) {
              Decision e = embedded.check(p, r, a, ctx);
              Decision m = remote.check(p, r, a, ctx);
              String what = p + " " + a + " " + r + " " + ctx;
              assertSame(e, m, doc, what);
              compared++;
              allowed += e.allowed() ? 1 : 0;
            }
          }
        }
      }
      // A batch gives the same answers as one check at a time (budgets aside: reads spend none).
      List<Decision> eb = embedded.checkAll(People.SAM, resources(), List.of("read", "update"));
      List<Decision> mb = remote.checkAll(People.SAM, resources(), List.of("read", "update"));
      for (int i = 0; i < eb.size(); i++) {
        assertSame(eb.get(i), mb.get(i), doc, "batch item " + i);
      }
      for (String[] route : new String[][] {{"GET", "/accounts/A-1001"}, {"PATCH", "/accounts/A-1001"},
          {"GET", "/accounts/A-1002"}, {"POST", "/accounts/A-1001/deposits"}, {"GET", "/cards/c1"},
          {"DELETE", "/accounts/A-1001"}, {"GET", "/nowhere?x=1"}, {"GET", "/accounts/%2e%2e/x"}}) {
        for (Principal p : principals()) {
          assertSame(embedded.check(route[0], route[1], p), remote.check(route[0], route[1], p), doc,
              p + " " + route[0] + " " + route[1]);
          compared++;
        }
      }
      assertThat(compared).isGreaterThan(1000);
      assertThat(allowed).isGreaterThan(20);
    }
  }

  static void assertSame(Decision e, Decision m, JsonNode doc, String what) {
    assertThat(e.failure()).as(what).isEmpty();
    assertThat(m.failure()).as(what).isEmpty();
    assertThat(m.outcome()).as(what).isEqualTo(e.outcome());
    assertThat(m.reasons()).as(what).isEqualTo(e.reasons());
    assertThat(m.readMask()).as(what).isEqualTo(e.readMask());
    assertThat(m.writeDenied()).as(what).isEqualTo(e.writeDenied());
    assertThat(m.policyVersion()).as(what).isEqualTo(e.policyVersion());
    assertThat(m.rate().map(r -> r.intent() + " " + r.name() + " " + r.limit() + " " + r.remaining()))
        .as(what).isEqualTo(e.rate().map(r -> r.intent() + " " + r.name() + " " + r.limit() + " " + r.remaining()));
    if (e.allowed()) {
      assertThat(m.applyReadMask(doc)).as(what).isEqualTo(e.applyReadMask(doc));
    }
  }
}

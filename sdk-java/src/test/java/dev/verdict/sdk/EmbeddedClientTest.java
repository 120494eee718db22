package dev.verdict.sdk;

import static dev.verdict.sdk.People.A1;
import static dev.verdict.sdk.People.ALICE;
import static dev.verdict.sdk.People.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedded mode: the Engine in-process, reloading on change, budgets local, masks applied. */
class EmbeddedClientTest {
  @TempDir
  Path tmp;

  Path copy() throws Exception {
    Path p = tmp.resolve("policies");
    Pdp.copy(Pdp.BANKING, p);
    return p;
  }

  @Test
  void decidesAndMasksLikeTheServer() throws Exception {
    try (VerdictClient c = VerdictClient.embedded(Pdp.BANKING).noWatch().build()) {
      Decision d = c.check(ALICE, A1, "read");
      assertThat(d.allowed()).isTrue();
      assertThat(d.reasons()).containsExactly("owner-access");
      assertThat(d.readMask()).containsEntry("holder.ssn", "partial(4)");
      assertThat(d.policyVersion()).startsWith("sha256:");
      assertThat(c.check(BOB, A1, "read").allowed()).isFalse();
      assertThat(c.checkAll(ALICE, List.of(A1), List.of("read", "delete"))).extracting(Decision::allowed)
          .containsExactly(true, false);
      assertThat(c.checkAsync(ALICE, A1, "read").join().allowed()).isTrue();
      assertThatThrownBy(() -> c.check(BOB, A1, "read").applyReadMask(Json.MAPPER.createObjectNode()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("check allowed() first");
    }
  }

  @Test
  void routeChecksReadTheDataFiles() throws Exception {
    try (VerdictClient c = VerdictClient.embedded(Pdp.BANKING).noWatch().build()) {
      Decision d = c.check("GET", "/accounts/A-1001", ALICE);
      assertThat(d.allowed()).isTrue();
      JsonNode account = Json.MAPPER.readTree("{\"holder\":{\"ssn\":\"123-45-6789\"}}");
      assertThat(d.applyReadMask(account).at("/holder/ssn").asText()).isEqualTo("*******6789");
      assertThat(c.check("GET", "/accounts/A-1001", BOB).allowed()).isFalse();
      assertThat(c.check("GET", "/nowhere", ALICE).reasons()).containsExactly("no-route");
    }
  }

  @Test
  void hashMasksUseTheConfiguredKeyAndRedactWithoutOne() throws Exception {
    Principal service = Principal.of("statements").type("Service").attr("tenant", "bank1");
    JsonNode doc = Json.MAPPER.readTree("{\"holder\":{\"email\":\"alice@example.com\"}}");
    byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    try (VerdictClient keyed = VerdictClient.embedded(Pdp.BANKING).noWatch().hashKey(key).build();
        VerdictClient plain = VerdictClient.embedded(Pdp.BANKING).noWatch().build()) {
      Decision d = keyed.check(service, A1, "read");
      assertThat(d.readMask()).containsEntry("holder.email", "hash");
      String hashed = d.applyReadMask(doc).at("/holder/email").asText();
      assertThat(hashed).isEqualTo(dev.verdict.lang.mask.MaskApplier.create(key)
          .apply(dev.verdict.lang.mask.ReadMask.of(Map.of("holder.email",
              dev.verdict.lang.ast.FieldEffect.of(dev.verdict.lang.ast.FieldEffect.Kind.HASH))), doc)
          .at("/holder/email").asText());
      assertThat(hashed).startsWith("sha256:");
      assertThat(plain.check(service, A1, "read").applyReadMask(doc).at("/holder/email").asText())
          .isEqualTo("[REDACTED]");
    }
  }

  @Test
  void budgetsAreLocal() throws Exception {
    Principal lou = Principal.of("lou").roles("customer").attr("tenant", "bank1").attr("trust", 30);
    Resource l1 = Resource.of("Account", "l1").attr("owner", "lou").attr("tenant", "bank1").attr("frozen", false);
    try (VerdictClient c = VerdictClient.embedded(Pdp.BANKING).noWatch().build()) {
      assertThat(c.check(lou, l1, "transfer", Map.of("mfa", true)).allowed()).isTrue();
      Decision second = c.check(lou, l1, "transfer", Map.of("mfa", true));
      assertThat(second.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
      assertThat(second.rate().orElseThrow().retryAfter()).isPositive();
    }
  }

  @Test
  void reloadsWhenTheDirectoryChanges() throws Exception {
    Path p = copy();
    try (VerdictClient c = VerdictClient.embedded(p).reloadInterval(Duration.ofMillis(50)).build()) {
      String before = c.check(ALICE, A1, "read").policyVersion();
      assertThat(c.check(ALICE, A1, "read").allowed()).isTrue();
      Path accounts = p.resolve("accounts.verdict");
      Files.writeString(accounts, Files.readString(accounts).replace("permit read, update, transfer to owner",
          "permit update, transfer to owner"));
      CacheTest.waitUntil(() -> !c.check(ALICE, A1, "read").policyVersion().equals(before));
      assertThat(c.check(ALICE, A1, "read").allowed()).isFalse();
    }
  }

  @Test
  void aBrokenSetIsRefusedAndTheLastOneKeepsServing() throws Exception {
    Path p = copy();
    try (EmbeddedVerdictClient c = VerdictClient.embedded(p).noWatch().build()) {
      Files.writeString(p.resolve("broken.verdict"), "policy oops on {");
      assertThat(c.reload().ok()).isFalse();
      assertThat(c.check(ALICE, A1, "read").allowed()).isTrue();
    }
  }

  @Test
  void noSetLoadedIsAFailure() throws Exception {
    try (VerdictClient c = VerdictClient.embedded(tmp.resolve("missing")).noWatch().build()) {
      Decision d = c.check(ALICE, A1, "read");
      assertThat(d.allowed()).isFalse();
      assertThat(d.failure()).get().asString().startsWith("no policy set is loaded");
    }
  }

  @Test
  void anInvalidAttributeIsAFailureNotAnException() throws Exception {
    try (VerdictClient c = VerdictClient.embedded(Pdp.BANKING).noWatch().build()) {
      Decision d = c.check(ALICE.attr("deep", deep(100)), A1, "read");
      assertThat(d.allowed()).isFalse();
      assertThat(d.failure()).get().asString().contains("$.principal");
    }
  }

  private static Object deep(int n) {
    Object o = "x";
    for (int i = 0; i < n; i++) {
      o = Map.of("a", o);
    }
    return o;
  }

  /**
   * The client keeps what it read of a principal on the instance (instances are immutable), but
   * an attribute holding an object the application can change is read at every check.
   */
  @Test
  void attributesTheApplicationCanChangeAreReadAtEveryCheck() throws Exception {
    Path p = tmp.resolve("groups");
    Files.createDirectories(p);
    Files.writeString(p.resolve("docs.verdict"), "entity User { groups: Set<String> }\nentity Doc\n"
        + "policy docs on Doc {\n  permit read when \"editors\" in principal.groups\n}\n");
    try (VerdictClient c = VerdictClient.embedded(p).noWatch().cache(0).build()) {
      List<String> groups = new java.util.ArrayList<>(List.of("viewers"));
      Principal carl = Principal.of("carl").attr("groups", groups);
      Resource doc = Resource.of("Doc", "d1");
      assertThat(c.check(carl, doc, "read").allowed()).isFalse();
      groups.add("editors");
      assertThat(c.check(carl, doc, "read").allowed()).isTrue();
    }
  }

  /** What was read under one set's declarations is read again when a set declares otherwise. */
  @Test
  void aReloadedSetReadsThePrincipalWithItsOwnDeclarations() throws Exception {
    Path p = tmp.resolve("typed");
    Files.createDirectories(p);
    Files.writeString(p.resolve("docs.verdict"), "entity User { since: Time }\nentity Doc\n"
        + "policy docs on Doc {\n  permit read when principal.since < time(\"2025-01-01T00:00:00Z\")\n}\n");
    try (EmbeddedVerdictClient c = VerdictClient.embedded(p).noWatch().cache(0).build()) {
      Principal pat = Principal.of("pat").attr("since", "2024-01-01T00:00:00Z");
      Resource doc = Resource.of("Doc", "d1");
      assertThat(c.check(pat, doc, "read").allowed()).isTrue();
      Files.writeString(p.resolve("docs.verdict"), "entity User { since: String }\nentity Doc\n"
          + "policy docs on Doc {\n  permit read when principal.since == \"2024-01-01T00:00:00Z\"\n}\n");
      assertThat(c.reload().ok()).isTrue();
      assertThat(c.check(pat, doc, "read").allowed()).isTrue();
    }
  }
}

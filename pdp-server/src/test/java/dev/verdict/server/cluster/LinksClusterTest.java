package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.verdict.server.TestServer;
import dev.verdict.server.bundle.BundleSignatures;
import dev.verdict.server.cluster.BundleNodes.Answer;
import dev.verdict.server.cluster.BundleNodes.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links written over the admin API on members of a three-process cluster, shared by the tests in
 * order: refused while the cluster serves no pushed bundle, created on A and decided on B and C
 * (B, without the signing key, refuses link writes itself),
 * a bad one refused with its diagnostic and nothing changed anywhere, two written at once on two
 * members both kept, deleted on C and gone everywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinksClusterTest {
  static final Path FIXTURE = Path.of("src/test/resources/policies/bank");
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String TEMPLATE = """
      policy sharing on Account {
        @id("delegate")
        permit read, transfer when principal == ?principal when resource == ?resource
      }
      """;
  @TempDir
  static Path tmp;
  static ECKey key;
  static BundleNodes cluster;
  static List<Node> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("links-test").generate();
    Path keys = tmp.resolve("bundle-keys.json");
    Files.writeString(keys, new JWKSet(key.toPublicJWK()).toString());
    Path signing = tmp.resolve("bundle-key.json");
    Files.writeString(signing, key.toJSONString());
    cluster = new BundleNodes("links-test-" + UUID.randomUUID(), tmp, keys, 3);
    List<String> withKey = List.of("--bundle-signing-key", signing.toString());
    nodes.add(cluster.start(0, copy(0), withKey));
    // B has no signing key: it serves links but takes no link writes
    Thread b = new Thread(() -> nodes.add(startQuietly(1, List.of())));
    b.start();
    nodes.add(startQuietly(2, withKey));
    b.join();
    nodes.sort((x, y) -> x.name().compareTo(y.name()));
    for (Node n : nodes) {
      BundleNodes.await(n, WAIT, "to see 3 members", () -> {
        Answer a = BundleNodes.get(n, "/v1/cluster");
        return a.status() == 200 && a.json().path("size").asInt() == 3;
      });
      BundleNodes.await(n, WAIT, "to be ready", () -> BundleNodes.get(n, "/health/ready").status() == 200);
    }
  }

  private static synchronized Node startQuietly(int i, List<String> more) {
    try {
      return cluster.start(i, copy(i), more);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Path copy(int i) throws Exception {
    Path dir = tmp.resolve("policies-" + i);
    TestServer.copy(FIXTURE, dir);
    return dir;
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String link(String id, String principal, String account) {
    return "{\"id\": \"" + id + "\", \"template\": \"delegate\", \"slots\": {\"principal\": {\"type\": \"User\", "
        + "\"id\": \"" + principal + "\"}, \"resource\": {\"type\": \"Account\", \"id\": \"" + account + "\"}}}";
  }

  static JsonNode decide(Node n, String principal, String account) {
    String eval = "{\"subject\":" + TestServer.subject(principal, "customer") + ",\"resource\":"
        + TestServer.account(account, "alice") + ",\"action\":{\"name\":\"read\"}}";
    Answer a = BundleNodes.post(n, "/access/v1/evaluation", eval);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.json();
  }

  static Set<String> listed(Node n) {
    Set<String> ids = new HashSet<>();
    BundleNodes.get(n, "/v1/policies").json().path("links").forEach(l -> ids.add(l.path("id").asText()));
    return ids;
  }

  /** Waits until every member serves {@code version}. */
  static void allServe(String version) throws InterruptedException {
    for (Node n : nodes) {
      BundleNodes.await(n, WAIT, "to serve " + version, () -> BundleNodes.version(n).equals(version));
    }
  }

  @Test
  @Order(1)
  void aLinkIsRefusedWhileTheClusterServesNoPushedBundle() {
    Answer r = BundleNodes.post(nodes.get(0), "/v1/policies/links", link("a1-bob", "bob", "a1"));
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("links_clustered");
    assertThat(r.json().at("/error/message").asText()).contains("push the policy set first");
  }

  @Test
  @Order(2)
  void aLinkCreatedOnOneMemberDecidesOnTheOthers() throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.list(FIXTURE)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    files.put("sharing.verdict", TEMPLATE.getBytes(StandardCharsets.UTF_8));
    Answer pushed = BundleNodes.push(nodes.get(0), BundleSignatures.sign(files, key));
    assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
    allServe(pushed.json().path("version").asText());
    assertThat(decide(nodes.get(1), "bob", "a1").path("decision").booleanValue()).isFalse();

    Answer created = BundleNodes.post(nodes.get(0), "/v1/policies/links", link("a1-bob", "bob", "a1"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String version = created.json().path("version").asText();
    assertThat(version).isNotEqualTo(pushed.json().path("version").asText());
    allServe(version);
    for (Node n : nodes) {
      JsonNode d = decide(n, "bob", "a1");
      assertThat(d.path("decision").booleanValue()).as(n.name() + ": " + d).isTrue();
      assertThat(d.at("/context/reasons/0").asText()).isEqualTo("delegate#a1-bob");
      assertThat(decide(n, "bob", "a2").path("decision").booleanValue()).as("only the linked account").isFalse();
      assertThat(listed(n)).containsExactly("a1-bob");
    }
    Answer noKey = BundleNodes.post(nodes.get(1), "/v1/policies/links", link("a2-bob", "bob", "a2"));
    assertThat(noKey.status()).as(noKey.body()).isEqualTo(409);
    assertThat(noKey.json().at("/error/message").asText()).contains("--bundle-signing-key");
    assertThat(listed(nodes.get(1))).containsExactly("a1-bob");
  }

  @Test
  @Order(3)
  void aLinkThatDoesNotFitIsRefusedWithItsDiagnosticAndNothingChanges() {
    String before = BundleNodes.version(nodes.get(0));
    Answer r = BundleNodes.post(nodes.get(0), "/v1/policies/links",
        link("x", "bob", "a1").replace("\"delegate\"", "\"delegat\""));
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().at("/error/details/path").asText()).isEqualTo("$.template");
    assertThat(r.json().at("/error/details/diagnostic").asText()).isEqualTo("V1504");
    Answer taken = BundleNodes.post(nodes.get(2), "/v1/policies/links", link("a1-bob", "carol", "a2"));
    assertThat(taken.status()).as(taken.body()).isEqualTo(400);
    for (Node n : nodes) {
      assertThat(BundleNodes.version(n)).isEqualTo(before);
      assertThat(listed(n)).containsExactly("a1-bob");
    }
  }

  @Test
  @Order(4)
  void linksWrittenAtOnceOnTwoMembersAreBothKept() throws Exception {
    CompletableFuture<Answer> onA = CompletableFuture.supplyAsync(
        () -> BundleNodes.post(nodes.get(0), "/v1/policies/links", link("a2-carol", "carol", "a2")));
    CompletableFuture<Answer> onB = CompletableFuture.supplyAsync(
        () -> BundleNodes.post(nodes.get(2), "/v1/policies/links", link("a3-dave", "dave", "a3")));
    Set<String> expected = new HashSet<>(Set.of("a1-bob"));
    for (Answer a : List.of(onA.get(), onB.get())) {
      if (a.status() == 201) {
        expected.add(a.json().path("id").asText());
      } else {
        // the push lock was held longer than a write waits for it: refused, never lost
        assertThat(a.status()).as(a.body()).isEqualTo(422);
        assertThat(a.body()).contains("another push is in progress");
      }
    }
    assertThat(expected).as("at least one of the two writes").hasSizeGreaterThan(1);
    for (Node n : nodes) {
      BundleNodes.await(n, WAIT, "to list " + expected, () -> listed(n).equals(expected));
    }
    String version = BundleNodes.version(nodes.get(2));
    assertThat(BundleNodes.version(nodes.get(0))).isEqualTo(BundleNodes.version(nodes.get(1)))
        .isEqualTo(version);
  }

  @Test
  @Order(5)
  void aLinkDeletedOnOneMemberIsGoneEverywhere() throws Exception {
    Answer deleted = BundleNodes.delete(nodes.get(2), "/v1/policies/links/a1-bob");
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    allServe(deleted.json().path("version").asText());
    for (Node n : nodes) {
      assertThat(decide(n, "bob", "a1").path("decision").booleanValue()).as(n.name()).isFalse();
      assertThat(listed(n)).doesNotContain("a1-bob");
    }
    assertThat(BundleNodes.delete(nodes.get(0), "/v1/policies/links/a1-bob").status()).isEqualTo(404);
  }
}

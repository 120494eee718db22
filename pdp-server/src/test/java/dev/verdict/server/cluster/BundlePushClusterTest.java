package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.verdict.engine.Bundles;
import dev.verdict.server.TestServer;
import dev.verdict.server.bundle.BundleSignatures;
import dev.verdict.server.cluster.BundleNodes.Answer;
import dev.verdict.server.cluster.BundleNodes.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code verdict serve} processes in one cluster, shared by the tests in order: version
 * readiness while they serve their directories, bundles refused everywhere, a bundle pushed to
 * one served by all, and a fourth node that joins later adopting it before it is ready.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundlePushClusterTest {
  static final Path FIXTURE = Path.of("src/test/resources/policies/bank");
  static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir
  static Path tmp;
  static ECKey key;
  static BundleNodes cluster;
  static List<Node> nodes = new ArrayList<>();
  static String original;
  static String pushed;

  @BeforeAll
  static void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("cluster-test").generate();
    Path keys = tmp.resolve("bundle-keys.json");
    Files.writeString(keys, new JWKSet(key.toPublicJWK()).toString());
    cluster = new BundleNodes("bundle-test-" + UUID.randomUUID(), tmp, keys, 4);
    // The first node founds the cluster; the others join it together.
    nodes.add(cluster.start(0, copy(0)));
    Thread b = new Thread(() -> nodes.add(startQuietly(1)));
    b.start();
    nodes.add(startQuietly(2));
    b.join();
    nodes.sort((x, y) -> x.name().compareTo(y.name()));
    for (Node n : nodes) {
      // GET /v1/cluster is open on loopback: the members this node sees
      BundleNodes.await(n, WAIT, "to see 3 members", () -> {
        BundleNodes.Answer a = BundleNodes.get(n, "/v1/cluster");
        return a.status() == 200 && a.json().path("size").asInt() == 3;
      });
      BundleNodes.await(n, WAIT, "to be ready", () -> BundleNodes.get(n, "/health/ready").status() == 200);
    }
    original = BundleNodes.version(nodes.get(0));
  }

  private static synchronized Node startQuietly(int i) {
    try {
      return cluster.start(i, copy(i));
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

  static Map<String, byte[]> set(String extraRule) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(FIXTURE)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    if (extraRule != null) {
      out.put("extra.verdict", extraRule.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  static String extra(String id) {
    return "policy extra on Account {\n  @id(\"" + id + "\")\n  permit read to support\n}\n";
  }

  @Test
  @Order(1)
  void inDirectoryModeANodeServingAnotherVersionThanMostIsNotReady() throws Exception {
    Node c = nodes.get(2);
    Path dir = tmp.resolve("policies-2");
    Files.writeString(dir.resolve("extra.verdict"), extra("only-on-c"));
    BundleNodes.await(c, WAIT, "to load its changed directory", () -> !BundleNodes.version(c).equals(original));
    String changed = BundleNodes.version(c);
    BundleNodes.await(c, WAIT, "to report not ready", () -> BundleNodes.get(c, "/health/ready").status() == 503);
    JsonNode why = BundleNodes.get(c, "/health/ready").json();
    assertThat(why.path("reason").asText())
        .isEqualTo("serving " + changed + " but 2 of 3 ready members serve " + original);
    // the two that agree stay ready
    assertThat(BundleNodes.get(nodes.get(0), "/health/ready").status()).isEqualTo(200);
    assertThat(BundleNodes.get(nodes.get(1), "/health/ready").status()).isEqualTo(200);

    Files.delete(dir.resolve("extra.verdict"));
    BundleNodes.await(c, WAIT, "to be ready again", () -> BundleNodes.get(c, "/health/ready").status() == 200);
    assertThat(BundleNodes.version(c)).isEqualTo(original);
  }

  @Test
  @Order(2)
  void brokenUnsignedAndForeignBundlesAreRefusedByEveryMemberAndNothingChanges() throws Exception {
    Node a = nodes.get(0);
    Map<String, byte[]> broken = set("policy broken on Account {\n  permit read to nobody_declared\n}\n");
    Answer r = BundleNodes.push(a, BundleSignatures.sign(broken, key));
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    JsonNode refusals = r.json().at("/error/details/refusals");
    assertThat(refusals.size()).as(r.body()).isEqualTo(3);
    refusals.forEach(d -> assertThat(d.asText()).contains("extra.verdict:").contains("nobody_declared"));

    Answer unsigned = BundleNodes.push(a, Bundles.write(set(extra("x"))));
    assertThat(unsigned.status()).isEqualTo(422);
    assertThat(unsigned.json().at("/error/details/refusals").size()).isEqualTo(3);
    unsigned.json().at("/error/details/refusals").forEach(d -> assertThat(d.asText()).contains("not signed"));

    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger").generate();
    Answer foreign = BundleNodes.push(nodes.get(1), BundleSignatures.sign(set(extra("x")), stranger));
    assertThat(foreign.status()).isEqualTo(422);
    foreign.json().at("/error/details/refusals")
        .forEach(d -> assertThat(d.asText()).contains("does not verify with any trusted key"));

    for (Node n : nodes) {
      assertThat(BundleNodes.version(n)).isEqualTo(original);
      assertThat(BundleNodes.get(n, "/v1/policies").json().path("source").asText()).isEqualTo("directory");
    }
  }

  /**
   * The figure in docs/benchmarks.md: the banking example set pushed to one of three nodes, from
   * the request to the answer (all three switched). Printed, never asserted.
   */
  @Test
  @Order(3)
  void timesBundleActivationOnThreeNodes() throws Exception {
    Map<String, byte[]> banking = new TreeMap<>();
    Path dir = Path.of("..", "policies", "banking");
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        banking.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      banking.put("note.verdict", ("// push " + i + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] bundle = BundleSignatures.sign(banking, key);
      long start = System.nanoTime();
      Answer r = BundleNodes.push(nodes.get(i % 3), bundle);
      micros.add((System.nanoTime() - start) / 1_000);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
    List<Long> sorted = micros.stream().sorted().toList();
    System.out.printf("bundle activation on 3 nodes (banking set, %d bytes of files, separate JVMs): "
        + "min %.1f ms, median %.1f ms, max %.1f ms over %d pushes (first: %.1f ms)%n",
        banking.values().stream().mapToInt(b -> b.length).sum(), sorted.get(0) / 1000.0,
        sorted.get(sorted.size() / 2) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0, sorted.size(),
        micros.get(0) / 1000.0);
  }

  @Test
  @Order(4)
  void aBundlePushedToOneIsServedByAllAndNoneServesTheOldVersionAfterwards() throws Exception {
    byte[] bundle = BundleSignatures.sign(set(extra("pushed-rule")), key);
    Answer r = BundleNodes.push(nodes.get(0), bundle);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    pushed = r.json().path("version").asText();
    assertThat(pushed).startsWith("sha256:").isNotEqualTo(original);
    assertThat(r.json().path("members").size()).isEqualTo(3);
    // Answered only once every member switched: from here on, no node serves the old version.
    for (int round = 0; round < 5; round++) {
      for (Node n : nodes) {
        JsonNode p = BundleNodes.get(n, "/v1/policies").json();
        assertThat(p.path("version").asText()).as(n.name()).isEqualTo(pushed);
        assertThat(p.path("source").asText()).isEqualTo("bundle");
      }
    }
    for (Node n : nodes) {
      BundleNodes.await(n, WAIT, "to be ready on the pushed version",
          () -> BundleNodes.get(n, "/health/ready").json().path("policyVersion").asText().equals(pushed)
              && BundleNodes.get(n, "/health/ready").status() == 200);
    }
  }

  @Test
  @Order(5)
  void aNodeStartedLaterAdoptsTheActiveBundleBeforeItIsReady() throws Exception {
    Node d = cluster.start(3, copy(3)); // its directory holds the original set
    List<String> seen = new ArrayList<>();
    BundleNodes.await(d, WAIT, "to be ready", () -> {
      Answer ready = BundleNodes.get(d, "/health/ready");
      seen.add(ready.status() + " " + ready.json().path("policyVersion").asText());
      return ready.status() == 200;
    });
    assertThat(seen).allSatisfy(s -> assertThat(s).satisfiesAnyOf(
        x -> assertThat(x).startsWith("503"), x -> assertThat(x).isEqualTo("200 " + pushed)));
    assertThat(BundleNodes.version(d)).isEqualTo(pushed);
    assertThat(BundleNodes.get(d, "/v1/policies").json().path("source").asText()).isEqualTo("bundle");
  }
}

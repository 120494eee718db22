package dev.verdict.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.verdict.deploy.DistributionTest.Server;
import dev.verdict.server.auth.ApiKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The `cluster` overlay's three pods as three processes of the distribution on this machine, each
 * started with bin/verdict and the environment the rendered overlay gives the container, read
 * from the rendered manifests (a changed manifest changes what runs here). Volumes are written out
 * as the kubelet mounts them (each ConfigMap and Secret key a file), and `fieldRef`s resolve as in
 * a pod in the namespace `default` whose address is 127.0.0.1.
 *
 * <p>Adapted, and only these, because three pods here share one loopback address and there is
 * no cluster DNS (every other variable is passed exactly as rendered):
 * <ul>
 *   <li>{@code VERDICT_HOST} 0.0.0.0 → 127.0.0.1: nothing of a test listens beyond loopback;
 *   <li>{@code VERDICT_PORT}, {@code VERDICT_MANAGEMENT_PORT} 8181, 9090 → 0 (any free port; the
 *       server prints the ones it got): pods have an address each, these processes share one;
 *   <li>{@code VERDICT_CLUSTER_PORT} 5701 → a free port per member, for the same reason;
 *   <li>{@code VERDICT_CLUSTER_KUBERNETES_SERVICE} (the headless Service's DNS name, which in
 *       Kubernetes resolves to the pods' addresses, all on the one cluster port) → its equivalent
 *       here, {@code VERDICT_CLUSTER_MEMBERS} with the three members' loopback addresses;
 *   <li>absolute paths under a volume's mount path → the same path under this member's directory;
 *   <li>the Secrets' placeholders (`api-keys`, `jwks.json`), which the server refuses at startup
 *       by design, → real values made here, as the Secrets' comments ask of whoever deploys them.
 * </ul>
 * The overlay sets no join or heartbeat timing; the defaults (join wait 2 s) keep this fast.
 */
class DistributionClusterTest {
  static final int PODS = 3;
  static final String NAMESPACE = "default";
  static final String POD_IP = "127.0.0.1";
  static final String ADMIN_KEY = UUID.randomUUID().toString() + UUID.randomUUID();
  static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  @TempDir
  static Path tmp;
  static Unpacked unpacked;
  static Manifests cluster;
  static Container container;
  static PodSpec pod;

  @BeforeAll
  static void renderAndUnpack() throws Exception {
    Assumptions.assumeTrue(KubernetesManifestsTest.kubectlPresent() || System.getenv("CI") != null,
        "skipped: `kubectl` is not installed (apt-get install -y kubernetes-client); it renders k8s/overlays/cluster");
    cluster = Manifests.parse(KubernetesManifestsTest.kustomize(Repo.root().resolve("k8s/overlays/cluster")));
    pod = cluster.one(Deployment.class, "verdict").getSpec().getTemplate().getSpec();
    container = pod.getContainers().stream().filter(c -> c.getName().equals("verdict")).findFirst().orElseThrow();
    unpacked = Unpacked.into(tmp);
  }

  @AfterAll
  static void unlinkTools() throws Exception {
    if (unpacked != null) {
      unpacked.unlinkTools();
    }
  }

  @Test
  void threeProcessesWithTheClusterOverlaysEnvironmentFormOneClusterAndAnswer() throws Exception {
    Map<String, String> secrets = realSecrets();
    int[] clusterPorts = new int[PODS];
    for (int i = 0; i < PODS; i++) {
      clusterPorts[i] = freePort();
    }
    List<String> members = new ArrayList<>();
    for (int port : clusterPorts) {
      members.add(POD_IP + ":" + port);
    }
    List<Map<String, String>> envs = new ArrayList<>();
    for (int i = 0; i < PODS; i++) {
      Path root = Files.createDirectories(tmp.resolve("pod-" + i));
      Map<String, String> env = podEnvironment(root, secrets);
      adaptToLoopback(env, clusterPorts[i], members);
      envs.add(env);
    }

    List<CompletableFuture<Server>> starting = new ArrayList<>();
    for (Map<String, String> env : envs) {
      Map<String, String> all = new HashMap<>(unpacked.env());
      all.putAll(env);
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return Server.start(unpacked.home(), all, List.of(unpacked.home().resolve("bin/verdict").toString(), "serve"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<Server> servers = new ArrayList<>();
    try {
      for (CompletableFuture<Server> s : starting) {
        servers.add(s.join());
      }
      for (Server s : servers) {
        JsonNode view = settledClusterOf(s);
        assertThat(view.get("size").intValue()).isEqualTo(PODS);
        Set<String> addresses = new HashSet<>();
        Set<String> versions = new HashSet<>();
        view.get("members").forEach(m -> {
          addresses.add(m.get("address").asText());
          versions.add(m.get("policyVersion").asText());
          assertThat(m.get("ready").booleanValue()).as("member %s ready: %s", m, view).isTrue();
        });
        assertThat(addresses).as("%s", view).containsExactlyInAnyOrderElementsOf(members);
        assertThat(versions).as("one policy version: %s", view).hasSize(1);
        assertAnswers(s);
        // the JDK internals Hazelcast reads are opened by the jar's manifest: without them it warns on every start
        assertThat(s.stderr()).doesNotContain("without proper access to required Java packages");
      }
      servers.forEach(s -> s.process.toHandle().destroy()); // SIGTERM to all at once, as a rollout's scale-down may
      for (Server s : servers) {
        assertThat(s.stop()).as("exit code; stderr: %s", s.stderr()).isZero();
      }
    } finally {
      servers.forEach(Server::close);
      starting.forEach(f -> f.thenAccept(Server::close));
    }
  }

  /**
   * The container's environment as the kubelet builds it: literal values with {@code $(NAME)}
   * references to earlier variables expanded, fieldRefs and secretKeyRefs resolved; the
   * container's volumes written under {@code root} and paths into them rewritten.
   */
  static Map<String, String> podEnvironment(Path root, Map<String, String> secrets) throws Exception {
    Map<String, String> mounts = mountVolumes(root, secrets);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar v : container.getEnv()) {
      String value = v.getValue() != null ? expand(v.getValue(), env) : resolve(v.getName(), v.getValueFrom(), secrets);
      for (Map.Entry<String, String> m : mounts.entrySet()) {
        if (value.equals(m.getKey()) || value.startsWith(m.getKey() + "/")) {
          value = m.getValue() + value.substring(m.getKey().length());
          break;
        }
      }
      env.put(v.getName(), value);
    }
    return env;
  }

  static String expand(String value, Map<String, String> earlier) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(earlier.getOrDefault(m.group(1), m.group())));
    }
    return m.appendTail(out).toString();
  }

  static String resolve(String name, EnvVarSource from, Map<String, String> secrets) {
    if (from.getFieldRef() != null) {
      return switch (from.getFieldRef().getFieldPath()) {
        case "metadata.namespace" -> NAMESPACE;
        case "status.podIP" -> POD_IP;
        default -> throw new AssertionError(name + ": the test does not know the field "
            + from.getFieldRef().getFieldPath() + "; add how a pod here resolves it");
      };
    }
    if (from.getSecretKeyRef() != null) {
      return secret(from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey(), secrets);
    }
    throw new AssertionError(name + ": the test does not know the source " + from + "; add how a pod here resolves it");
  }

  /** Each ConfigMap and Secret volume the container mounts, written as files; mount path → directory. */
  static Map<String, String> mountVolumes(Path root, Map<String, String> secrets) throws Exception {
    Map<String, String> mounts = new LinkedHashMap<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      Path dir = Files.createDirectories(root.resolve(mount.getMountPath().substring(1)));
      mounts.put(mount.getMountPath(), dir.toString());
      if (volume.getConfigMap() != null) {
        ConfigMap map = cluster.one(ConfigMap.class, volume.getConfigMap().getName());
        for (Map.Entry<String, String> e : map.getData().entrySet()) {
          Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
      } else if (volume.getSecret() != null) {
        String name = volume.getSecret().getSecretName();
        for (String key : secretKeys(cluster.one(Secret.class, name))) {
          Files.writeString(dir.resolve(key), secret(name, key, secrets));
        }
      }
    }
    return mounts;
  }

  static Set<String> secretKeys(Secret s) {
    Set<String> keys = new HashSet<>();
    if (s.getStringData() != null) {
      keys.addAll(s.getStringData().keySet());
    }
    if (s.getData() != null) {
      keys.addAll(s.getData().keySet());
    }
    return keys;
  }

  /** A Secret's value: the real one made here for a placeholder, else as rendered. */
  static String secret(String name, String key, Map<String, String> real) {
    String replaced = real.get(name + "/" + key);
    if (replaced != null) {
      return replaced;
    }
    Secret s = cluster.one(Secret.class, name);
    if (s.getStringData() != null && s.getStringData().containsKey(key)) {
      return s.getStringData().get(key);
    }
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  /** Real values for the Secrets' placeholders, which the server refuses at startup. */
  static Map<String, String> realSecrets() throws Exception {
    assertThat(secret("verdict-credentials", "api-keys", Map.of())).as("a placeholder").contains("REPLACE");
    assertThat(secret("verdict-bundle-keys", "jwks.json", Map.of())).as("a placeholder").contains("[]");
    String jwks = new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("ci").generate().toPublicJWK()).toString();
    return Map.of(
        "verdict-credentials/api-keys", "ops=decide+admin=" + ApiKeys.hash(ADMIN_KEY),
        "verdict-bundle-keys/jwks.json", jwks);
  }

  /** The adaptations the class comment lists, each checked to adapt what the overlay really sets. */
  static void adaptToLoopback(Map<String, String> env, int clusterPort, List<String> members) {
    replace(env, "VERDICT_HOST", "0.0.0.0", POD_IP);
    replace(env, "VERDICT_PORT", "8181", "0");
    replace(env, "VERDICT_MANAGEMENT_PORT", "9090", "0");
    replace(env, "VERDICT_CLUSTER_PORT", "5701", Integer.toString(clusterPort));
    assertThat(env.get("VERDICT_CLUSTER_INTERFACE")).as("the pod's own address").isEqualTo(POD_IP);
    assertThat(env.remove("VERDICT_CLUSTER_KUBERNETES_SERVICE")).as("the headless Service's DNS name")
        .isEqualTo("verdict-members." + NAMESPACE + ".svc.cluster.local");
    assertThat(env).doesNotContainKey("VERDICT_CLUSTER_MEMBERS");
    env.put("VERDICT_CLUSTER_MEMBERS", String.join(",", members));
  }

  static void replace(Map<String, String> env, String name, String rendered, String here) {
    assertThat(env.get(name)).as("%s as the overlay sets it", name).isEqualTo(rendered);
    env.put(name, here);
  }

  /** GET /v1/cluster until the member sees a settled cluster of three, all ready (bounded: two minutes). */
  static JsonNode settledClusterOf(Server s) throws Exception {
    JsonNode view = null;
    for (int attempt = 0; attempt < 600; attempt++) {
      HttpResponse<String> r = DistributionTest.HTTP.send(HttpRequest.newBuilder(URI.create(s.decisions + "/v1/cluster"))
          .header("X-API-Key", ADMIN_KEY).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET /v1/cluster: %s", r.body()).isEqualTo(200);
      view = DistributionTest.JSON.readTree(r.body());
      boolean allReady = true;
      for (JsonNode m : view.get("members")) {
        allReady &= m.get("ready").booleanValue();
      }
      if (view.get("size").intValue() == PODS && view.get("settled").booleanValue() && allReady) {
        return view;
      }
      Thread.sleep(200);
    }
    return view;
  }

  static void assertAnswers(Server s) throws Exception {
    HttpResponse<String> decision = DistributionTest.HTTP.send(
        HttpRequest.newBuilder(URI.create(s.decisions + "/access/v1/evaluation")).header("X-API-Key", ADMIN_KEY)
            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(DistributionTest.EVALUATION))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(decision.statusCode()).as(decision.body()).isEqualTo(200);
    assertThat(DistributionTest.JSON.readTree(decision.body()).get("decision").booleanValue()).isTrue();
    HttpResponse<String> ready = DistributionTest.HTTP.send(HttpRequest.newBuilder(URI.create(s.management + "/health/ready"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
  }

  /** Ports given to members so far: the system may give a free port again, and two pods must not share one. */
  private static final java.util.Set<Integer> GIVEN_PORTS = new java.util.HashSet<>();

  /** A port free now and not given to a member before (each pod is told every member's port before any listens). */
  static synchronized int freePort() throws Exception {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (GIVEN_PORTS.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
    throw new IllegalStateException("no free port not given before");
  }
}

package dev.verdict.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.verdict.server.boot.ConfigLoader;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.VerdictServer;
import dev.verdict.server.http.ManagementRouter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every overlay under k8s/overlays with {@code kubectl kustomize}, reads the result into
 * typed Kubernetes objects and checks that the manifests fit the server they deploy: probes on
 * paths and the port the server serves, only settings the configuration loader reads (and
 * accepts), cluster discovery through the Service that exists, memory beyond the heap, and the
 * security and shutdown settings the docs promise.
 */
class KubernetesManifestsTest {
  /** Metaspace, code cache, class-data archive, thread stacks and network buffers (docs/benchmarks.md). */
  static final long NON_HEAP_BYTES = 112L * 1024 * 1024;
  static final String APP = "verdict";
  static final Map<String, Manifests> RENDERED = new LinkedHashMap<>();

  @TempDir
  Path tmp;

  static List<String> overlays() throws IOException {
    try (Stream<Path> dirs = Files.list(Repo.root().resolve("k8s/overlays"))) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @BeforeAll
  static void render() throws Exception {
    if (!kubectlPresent()) {
      if (System.getenv("CI") != null) {
        fail("kubectl is missing on CI; .ci/run installs it (Debian package kubernetes-client)");
      }
      Assumptions.abort("skipped: `kubectl` is not installed (apt-get install -y kubernetes-client); "
          + "it renders the kustomize overlays under k8s/");
    }
    for (String overlay : overlays()) {
      RENDERED.put(overlay, Manifests.parse(kustomize(Repo.root().resolve("k8s/overlays").resolve(overlay))));
    }
  }

  static boolean kubectlPresent() {
    try {
      Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static String kustomize(Path dir) throws Exception {
    Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (IOException e) {
        // the process went away; its exit code says what happened
      }
    });
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("kubectl kustomize %s finished", dir).isTrue();
    drain.join();
    assertThat(p.exitValue()).as("kubectl kustomize %s: %s", dir, err.toString(StandardCharsets.UTF_8)).isZero();
    return out;
  }

  @Test
  void thereAreTheTwoOverlays() throws IOException {
    assertThat(overlays()).contains("single", "cluster");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyObjectTheBaseDescribesIsRendered(String overlay) {
    Manifests m = RENDERED.get(overlay);
    Deployment d = m.one(Deployment.class, APP);
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
    assertThat(m.one(Service.class, APP).getSpec().getClusterIP()).isNull();
    assertThat(m.one(Service.class, "verdict-members").getSpec().getClusterIP()).isEqualTo("None");
    assertThat(m.one(PodDisruptionBudget.class, APP).getSpec().getSelector().getMatchLabels())
        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
    HorizontalPodAutoscaler hpa = m.one(HorizontalPodAutoscaler.class, APP);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(APP);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(d.getSpec().getReplicas());
    assertThat(hpa.getSpec().getMetrics()).extracting(x -> x.getResource().getName()).containsExactly("cpu");
    assertThat(m.one(ConfigMap.class, "verdict-policies")).isNotNull();
    assertThat(m.one(Secret.class, "verdict-credentials")).isNotNull();
    for (Service s : m.all(Service.class)) {
      assertThat(s.getSpec().getSelector()).as(s.getMetadata().getName())
          .isEqualTo(d.getSpec().getTemplate().getMetadata().getLabels());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void probesUseTheManagementPortAndPathsTheServerServes(String overlay) throws Exception {
    Container c = container(RENDERED.get(overlay));
    int management = Integer.parseInt(env(c).get(ConfigLoader.envName("management-port")).getValue());
    assertThat(management).isEqualTo(9090);
    assertThat(probe(c, c.getReadinessProbe())).isEqualTo(ManagementRouter.READY);
    assertThat(probe(c, c.getLivenessProbe())).isEqualTo(ManagementRouter.LIVE);
    assertThat(probe(c, c.getStartupProbe())).isEqualTo(ManagementRouter.LIVE);
    for (Probe p : List.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())) {
      assertThat(port(c, p.getHttpGet().getPort())).isEqualTo(management);
      assertThat(p.getHttpGet().getScheme()).isIn(null, "HTTP");
    }
    Map<String, String> scrape = RENDERED.get(overlay).one(Deployment.class, APP).getSpec().getTemplate()
        .getMetadata().getAnnotations();
    assertThat(scrape).containsEntry("prometheus.io/port", String.valueOf(management))
        .containsEntry("prometheus.io/path", ManagementRouter.METRICS);
  }

  /** The paths the probes name, asked of a server started with the overlay's own settings. */
  @Test
  void theProbedPathsAnswerOnARealServerStartedWithTheSingleOverlaysSettings() throws Exception {
    Manifests m = RENDERED.get("single");
    Map<String, String> env = podEnvironment(m, tmp);
    env.put(ConfigLoader.envName("host"), "127.0.0.1");
    env.put(ConfigLoader.envName("port"), "0");
    env.put(ConfigLoader.envName("management-port"), "0");
    ServerConfig config = ConfigLoader.load(Map.of(), env, Optional.empty())
        .withDecisionLog(ServerConfig.DecisionLogTarget.OFF, 100);
    VerdictServer server = VerdictServer.start(config, Optional.empty(), new PrintStream(new ByteArrayOutputStream(),
        true, StandardCharsets.UTF_8));
    try {
      String base = server.managementAddress().orElseThrow();
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Container c = container(m);
      for (String path : List.of(c.getReadinessProbe().getHttpGet().getPath(),
          c.getLivenessProbe().getHttpGet().getPath(), c.getStartupProbe().getHttpGet().getPath(),
          m.one(Deployment.class, APP).getSpec().getTemplate().getMetadata().getAnnotations()
              .get("prometheus.io/path"))) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
      }
    } finally {
      server.stop();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyVerdictVariableIsASettingTheLoaderReadsAndAccepts(String overlay) throws Exception {
    Container c = container(RENDERED.get(overlay));
    List<String> known = ConfigLoader.settings().keySet().stream().map(ConfigLoader::envName).toList();
    for (EnvVar e : c.getEnv()) {
      if (e.getName().startsWith("VERDICT_")) {
        assertThat(known).as("%s sets %s", overlay, e.getName()).contains(e.getName());
      }
    }
    // Loading the pod's environment finds wrong values, not only wrong names (an unknown cache
    // mode, a port out of range, a missing file under a mounted volume).
    ConfigLoader.load(Map.of(), podEnvironment(RENDERED.get(overlay), tmp), Optional.empty());
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void portsAgreeWithTheSettings(String overlay) {
    Manifests m = RENDERED.get(overlay);
    Container c = container(m);
    Map<String, EnvVar> env = env(c);
    int decisions = Integer.parseInt(env.get("VERDICT_PORT").getValue());
    assertThat(env.get("VERDICT_HOST").getValue()).isEqualTo("0.0.0.0");
    assertThat(env.get("VERDICT_API_KEYS").getValueFrom().getSecretKeyRef().getName()).isEqualTo("verdict-credentials");
    ServicePort http = m.one(Service.class, APP).getSpec().getPorts().get(0);
    assertThat(port(c, http.getTargetPort())).isEqualTo(decisions);
    NetworkPolicy np = m.one(NetworkPolicy.class, APP);
    NetworkPolicyIngressRule toDecisions = rule(np, decisions);
    assertThat(toDecisions.getFrom()).allSatisfy(peer -> {
      Map<String, String> labels = peer.getPodSelector() != null ? peer.getPodSelector().getMatchLabels()
          : peer.getNamespaceSelector().getMatchLabels();
      assertThat(labels).containsEntry("verdict.dev/gateway", "true");
    });
    assertThat(rule(np, Integer.parseInt(env.get("VERDICT_MANAGEMENT_PORT").getValue()))).isNotNull();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theClusterIsFoundThroughTheHeadlessServiceOnTheClusterPort(String overlay) {
    Manifests m = RENDERED.get(overlay);
    Container c = container(m);
    Map<String, EnvVar> env = env(c);
    Service members = m.one(Service.class, "verdict-members");
    int clusterPort = 5701;
    assertThat(members.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(clusterPort);
    assertThat(members.getSpec().getPublishNotReadyAddresses()).isTrue();
    NetworkPolicy np = m.one(NetworkPolicy.class, APP);
    NetworkPolicyIngressRule toMembers = rule(np, clusterPort);
    Map<String, String> podLabels = m.one(Deployment.class, APP).getSpec().getTemplate().getMetadata().getLabels();
    assertThat(toMembers.getFrom()).hasSize(1);
    NetworkPolicyPeer peer = toMembers.getFrom().get(0);
    assertThat(peer.getNamespaceSelector()).isNull();
    assertThat(podLabels).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
    if (!env.containsKey("VERDICT_CLUSTER_NAME")) {
      assertThat(overlay).isEqualTo("single");
      assertThat(env.keySet()).noneMatch(k -> k.startsWith("VERDICT_CLUSTER_"));
      return;
    }
    assertThat(Integer.parseInt(env.get("VERDICT_CLUSTER_PORT").getValue())).isEqualTo(clusterPort);
    assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).contains(clusterPort);
    assertThat(members.getSpec().getPorts().get(0).getTargetPort()).isEqualTo(new IntOrString(clusterPort));
    String dns = env.get("VERDICT_CLUSTER_KUBERNETES_SERVICE").getValue();
    assertThat(dns).isEqualTo(members.getMetadata().getName() + ".$(POD_NAMESPACE).svc.cluster.local");
    // Kubernetes expands $(POD_NAMESPACE) only when it is defined earlier in the list
    List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
    assertThat(names.indexOf("POD_NAMESPACE")).isBetween(0, names.indexOf("VERDICT_CLUSTER_KUBERNETES_SERVICE"));
    assertThat(env.get("VERDICT_CLUSTER_INTERFACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.podIP");
    assertThat(env.get("VERDICT_BUNDLE_KEYS").getValue()).startsWith("/etc/verdict/bundle-keys/");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theMemoryLimitHoldsTheHeapAndWhatTheJvmNeedsBesides(String overlay) throws IOException {
    Container c = container(RENDERED.get(overlay));
    long limit = bytes(c.getResources().getLimits().get("memory"));
    assertThat(bytes(c.getResources().getRequests().get("memory"))).as("memory request = limit").isEqualTo(limit);
    long heap = heapBytes(limit);
    assertThat(limit - heap).as("limit %d bytes, heap %d bytes", limit, heap).isGreaterThanOrEqualTo(NON_HEAP_BYTES);
    assertThat(heap).as("heap").isGreaterThanOrEqualTo(64L * 1024 * 1024);
    assertThat(c.getResources().getLimits()).containsKey("cpu");
    // more event loops than cores only adds switching
    double cores = c.getResources().getLimits().get("cpu").getNumericalAmount().doubleValue();
    assertThat(Integer.parseInt(env(c).get("VERDICT_EVENT_LOOPS").getValue()))
        .isLessThanOrEqualTo((int) Math.max(1, Math.ceil(cores)));
  }

  /** The heap {@code lib/serve.options} gives a container with this memory limit. */
  static long heapBytes(long limit) throws IOException {
    String options = Files.readString(Repo.serveOptions());
    double max = percentage(options, "MaxRAMPercentage");
    // Below about 256 MiB the JVM takes MinRAMPercentage instead: equal, the share holds for any limit
    assertThat(percentage(options, "MinRAMPercentage")).isEqualTo(max);
    return (long) (limit * max / 100);
  }

  static double percentage(String options, String flag) {
    Matcher m = Pattern.compile("-XX:" + flag + "=([0-9.]+)").matcher(options);
    assertThat(m.find()).as("serve.options sets %s", flag).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void podsRunLockedDown(String overlay) {
    Manifests m = RENDERED.get(overlay);
    PodSpec pod = m.one(Deployment.class, APP).getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(m.one(ServiceAccount.class, pod.getServiceAccountName()).getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    Container c = container(m);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void shutdownFitsInTheGracePeriod(String overlay) {
    Manifests m = RENDERED.get(overlay);
    PodSpec pod = m.one(Deployment.class, APP).getSpec().getTemplate().getSpec();
    Container c = container(m);
    long preStopSeconds = c.getLifecycle().getPreStop().getSleep().getSeconds();
    long drainMillis = Long.parseLong(env(c).get("VERDICT_SHUTDOWN_GRACE_MS").getValue());
    assertThat(preStopSeconds).isPositive();
    // what is left after the preStop sleep and the drain is the cluster member's graceful leave
    assertThat(pod.getTerminationGracePeriodSeconds() * 1000 - preStopSeconds * 1000 - drainMillis)
        .isGreaterThanOrEqualTo(15_000);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void policiesAreTheExampleSetMountedAsAWholeDirectory(String overlay) throws IOException {
    Manifests m = RENDERED.get(overlay);
    Container c = container(m);
    String dir = env(c).get("VERDICT_POLICIES").getValue();
    VolumeMount mount = c.getVolumeMounts().stream().filter(v -> v.getMountPath().equals(dir)).findFirst()
        .orElseThrow(() -> new AssertionError("nothing is mounted at VERDICT_POLICIES " + dir));
    assertThat(mount.getSubPath()).as("subPath mounts never see updates").isNull();
    assertThat(mount.getReadOnly()).isTrue();
    Volume v = volume(m, mount.getName());
    ConfigMap policies = m.one(ConfigMap.class, v.getConfigMap().getName());
    Map<String, String> expected = new HashMap<>();
    try (Stream<Path> files = Files.list(Repo.root().resolve("policies/banking"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        expected.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    assertThat(policies.getData()).as("k8s/base/policies is a copy of policies/banking").isEqualTo(expected);
    assertThat(c.getVolumeMounts()).anySatisfy(t -> assertThat(t.getMountPath()).isEqualTo("/tmp"));
  }

  // ---- helpers

  static Container container(Manifests m) {
    List<Container> cs = m.one(Deployment.class, APP).getSpec().getTemplate().getSpec().getContainers();
    assertThat(cs).hasSize(1);
    return cs.get(0);
  }

  static Map<String, EnvVar> env(Container c) {
    Map<String, EnvVar> out = new LinkedHashMap<>();
    c.getEnv().forEach(e -> out.put(e.getName(), e));
    return out;
  }

  static Volume volume(Manifests m, String name) {
    return m.one(Deployment.class, APP).getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume `" + name + "`"));
  }

  static String probe(Container c, Probe p) {
    assertThat(p).isNotNull();
    HTTPGetAction get = p.getHttpGet();
    assertThat(get).as("an httpGet probe").isNotNull();
    return get.getPath();
  }

  /** A port given by number or by the container port's name. */
  static int port(Container c, IntOrString p) {
    if (p.getIntVal() != null) {
      return p.getIntVal();
    }
    return c.getPorts().stream().filter(x -> p.getStrVal().equals(x.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named `" + p.getStrVal() + "`")).getContainerPort();
  }

  static NetworkPolicyIngressRule rule(NetworkPolicy np, int port) {
    List<NetworkPolicyIngressRule> rules = np.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port)).toList();
    assertThat(rules).as("ingress rules for port %d", port).hasSize(1);
    return rules.get(0);
  }

  static long bytes(Quantity q) {
    BigDecimal b = Quantity.getAmountInBytes(q);
    return b.longValue();
  }

  /**
   * The environment a pod of this overlay sees: literal values, values from the rendered
   * Secrets and ConfigMaps (the API keys' placeholder, refused at startup on purpose, is replaced
   * by a well-formed key), the downward API (a loopback address for the pod IP), $(VAR)
   * references expanded, and the mounted ConfigMaps and Secrets written under {@code root} with
   * paths into them rewritten.
   */
  static Map<String, String> podEnvironment(Manifests m, Path root) throws IOException {
    Container c = container(m);
    Map<String, String> mounts = new LinkedHashMap<>();
    for (VolumeMount vm : c.getVolumeMounts()) {
      Volume v = volume(m, vm.getName());
      Map<String, String> files = new LinkedHashMap<>();
      if (v.getConfigMap() != null) {
        files.putAll(m.one(ConfigMap.class, v.getConfigMap().getName()).getData());
      } else if (v.getSecret() != null) {
        files.putAll(secretData(m.one(Secret.class, v.getSecret().getSecretName())));
      }
      Path dir = Files.createDirectories(root.resolve(vm.getMountPath().substring(1)));
      for (Map.Entry<String, String> f : files.entrySet()) {
        Files.writeString(dir.resolve(f.getKey()), f.getValue());
      }
      mounts.put(vm.getMountPath(), dir.toString());
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      String value;
      if (e.getValueFrom() == null) {
        value = expand(e.getValue(), env);
      } else if (e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        value = secretData(m.one(Secret.class, ref.getName())).get(ref.getKey());
        assertThat(value).as("%s: key %s of secret %s", e.getName(), ref.getKey(), ref.getName()).isNotNull();
        if (e.getName().equals("VERDICT_API_KEYS")) {
          assertThat(value).contains("REPLACE");
          value = "gateway=decide=sha256:" + "ab".repeat(32);
        }
      } else if (e.getValueFrom().getFieldRef() != null) {
        String field = e.getValueFrom().getFieldRef().getFieldPath();
        value = switch (field) {
          case "status.podIP" -> "127.0.0.1";
          case "metadata.namespace" -> "default";
          case "metadata.name" -> "verdict-0";
          default -> throw new AssertionError("unexpected downward API field " + field);
        };
      } else {
        throw new AssertionError("unexpected source of " + e.getName());
      }
      for (Map.Entry<String, String> mount : mounts.entrySet()) {
        if (value.startsWith(mount.getKey() + "/") || value.equals(mount.getKey())) {
          value = mount.getValue() + value.substring(mount.getKey().length());
          break;
        }
      }
      env.put(e.getName(), value);
    }
    return env;
  }

  static Map<String, String> secretData(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  static String expand(String value, Map<String, String> earlier) {
    Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = earlier.get(m.group(1));
      m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(b);
    return b.toString();
  }

}

package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import dev.verdict.server.boot.ConfigException;
import dev.verdict.server.boot.ConfigLoader;
import dev.verdict.server.boot.IoTransport;
import dev.verdict.server.boot.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags over environment over file over defaults; every problem names its key and origin. */
class ConfigLoaderTest {
  static final String HASH = ApiKeys.hash("a-long-enough-test-key");

  @Test
  void defaults() throws Exception {
    ServerConfig c = ConfigLoader.load(Map.of(), Map.of(), Optional.empty());
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8181);
    assertThat(c.policies()).isEqualTo(Path.of("policies/banking"));
    assertThat(c.bodyLimitBytes()).isEqualTo(1024 * 1024);
    assertThat(c.maxResources()).isEqualTo(100);
    assertThat(c.maxActions()).isEqualTo(20);
    assertThat(c.maxPairs()).isEqualTo(500);
    assertThat(c.reloadIntervalMillis()).isEqualTo(1000);
    assertThat(c.decisionLog()).isEqualTo(ServerConfig.DecisionLogTarget.STDOUT);
    assertThat(c.apiKeys()).isEmpty();
    assertThat(c.tls()).isEmpty();
  }

  @Test
  void anUnquotedOffIsTheWordOff(@TempDir Path tmp) throws Exception {
    // YAML 1.1 reads `off` as the boolean false; the setting means the word
    Path f = tmp.resolve("verdict.yaml");
    Files.writeString(f, "decision-log:\n  target: off\n");
    assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)).decisionLog())
        .isEqualTo(ServerConfig.DecisionLogTarget.OFF);
    Files.writeString(f, "decision-log:\n  target: on\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)))
        .hasMessageContaining("`decision-log` must be text");
  }

  @Test
  void connectionBoundsFromEverySource(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("verdict.yaml");
    Files.writeString(f, "limits:\n  max-connections: 500\n  header-timeout-ms: 2000\n  body-timeout-ms: 3000\n"
        + "  bodies-in-flight-bytes: 8388608\n");
    ServerConfig c = ConfigLoader.load(Map.of("body-timeout-ms", "4000"), Map.of("VERDICT_HEADER_TIMEOUT_MS", "2500"),
        Optional.of(f));
    assertThat(c.connections()).isEqualTo(new ServerConfig.Connections(500, 2500, 4000, 8L * 1024 * 1024));
    assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.empty()).connections())
        .isEqualTo(ServerConfig.Connections.DEFAULTS);
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("bodies-in-flight-bytes", "1000"), Map.of(), Optional.empty()))
        .hasMessageContaining("`bodies-in-flight-bytes` must be between 1048576");
  }

  @Test
  void precedenceIsFlagsThenEnvironmentThenFile(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("verdict.yaml");
    Files.writeString(f, "host: 10.0.0.1\nport: 9000\npolicies: /srv/p\nlimits:\n  body-bytes: 2048\n"
        + "  max-pairs: 42\ndecision-log:\n  target: file\n  file: /var/log/d.log\n"
        + "auth:\n  api-keys:\n    - name: svc\n      hash: " + HASH + "\n      scopes: [decide, admin]\n");
    ServerConfig file = ConfigLoader.load(Map.of(), Map.of(), Optional.of(f));
    assertThat(file.host()).isEqualTo("10.0.0.1");
    assertThat(file.port()).isEqualTo(9000);
    assertThat(file.bodyLimitBytes()).isEqualTo(2048);
    assertThat(file.maxPairs()).isEqualTo(42);
    assertThat(file.decisionLog().file()).contains(Path.of("/var/log/d.log"));
    assertThat(file.apiKeys()).hasSize(1);
    assertThat(file.apiKeys().get(0).name()).isEqualTo("svc");
    assertThat(file.apiKeys().get(0).scopes()).containsExactlyInAnyOrder(Scope.DECIDE, Scope.ADMIN);
    ServerConfig env = ConfigLoader.load(Map.of(), Map.of("VERDICT_PORT", "9100", "VERDICT_HOST", "10.0.0.2"),
        Optional.of(f));
    assertThat(env.port()).isEqualTo(9100);
    assertThat(env.host()).isEqualTo("10.0.0.2");
    assertThat(env.policies()).isEqualTo(Path.of("/srv/p"));
    ServerConfig flags = ConfigLoader.load(Map.of("port", "9200"), Map.of("VERDICT_PORT", "9100"), Optional.of(f));
    assertThat(flags.port()).isEqualTo(9200);
    assertThat(flags.host()).isEqualTo("10.0.0.1");
  }

  @Test
  void unknownKeysNameThePathAndLine(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("c.yaml");
    Files.writeString(f, "host: 127.0.0.1\nlimits:\n  body-bytez: 10\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key `limits.body-bytez`").hasMessageContaining("at line 3")
        .hasMessageContaining("body-bytes");
  }

  @Test
  void wrongTypesNameTheKeyAndLine(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("c.yaml");
    Files.writeString(f, "host: 127.0.0.1\nport: eighty\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)))
        .hasMessageContaining("`port`").hasMessageContaining("line 2").hasMessageContaining("whole number")
        .hasMessageNotContaining("java.");
    Files.writeString(f, "auth:\n  api-keys: yes\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)))
        .hasMessageContaining("`auth.api-keys`").hasMessageContaining("line 2");
    Files.writeString(f, "host: \"abc\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)))
        .hasMessageContaining("is not valid YAML");
  }

  @Test
  void valuesAreValidatedWithTheirOrigin() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("port", "70000"), Map.of(), Optional.empty()))
        .hasMessage("`port` must be between 0 and 65535, not 70000 (from flag --port)");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("VERDICT_BODY_LIMIT", "ten"), Optional.empty()))
        .hasMessage("`body-limit` must be a whole number, not `ten` (from environment variable VERDICT_BODY_LIMIT)");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("decision-log", "syslog"), Map.of(), Optional.empty()))
        .hasMessageContaining("must be `stdout`, `file` or `off`");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("tls-cert", "/nope.pem"), Map.of(), Optional.empty()))
        .hasMessageContaining("needs `tls-key` as well");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("public-url", "ftp://x"), Map.of(), Optional.empty()))
        .hasMessageContaining("`public-url` must be an http(s) URL");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(Path.of("/no/such.yaml"))))
        .hasMessageContaining("does not exist");
  }

  @Test
  void apiKeysFromTheEnvironment() throws Exception {
    ServerConfig c = ConfigLoader.load(Map.of(), Map.of("VERDICT_API_KEYS", "billing=decide=" + HASH
        + ", ops=decide+admin=" + HASH.toUpperCase().replace("SHA256:", "sha256:")), Optional.empty());
    assertThat(c.apiKeys()).extracting(k -> k.name()).containsExactly("billing", "ops");
    assertThat(c.apiKeys().get(1).scopes()).containsExactlyInAnyOrder(Scope.DECIDE, Scope.ADMIN);
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("VERDICT_API_KEYS", "billing=root=" + HASH),
        Optional.empty())).hasMessageContaining("unknown scope `root`");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("VERDICT_API_KEYS", "billing=decide=plain-key"),
        Optional.empty())).hasMessageContaining("sha256:").hasMessageNotContaining("plain-key");
  }

  @Test
  void noClusterSettingsMeansAloneWithALocalCache() throws Exception {
    ServerConfig c = ConfigLoader.load(Map.of(), Map.of(), Optional.empty());
    assertThat(c.cluster()).isEmpty();
    assertThat(c.decisionCache()).isEqualTo(ServerConfig.DecisionCacheMode.LOCAL);
    assertThat(c.managementPort()).isEmpty();
    assertThat(c.bundleKeys()).isEmpty();
  }

  @Test
  void clusterSettingsFromFlagsEnvironmentAndFile(@TempDir Path tmp) throws Exception {
    ServerConfig flags = ConfigLoader.load(Map.of("cluster-name", "pdp", "cluster-members",
        "127.0.0.1:5701, 127.0.0.1:5702", "cluster-port", "5702"), Map.of(), Optional.empty());
    assertThat(flags.cluster()).hasValueSatisfying(cl -> {
      assertThat(cl.name()).isEqualTo("pdp");
      assertThat(cl.members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
      assertThat(cl.port()).isEqualTo(5702);
      assertThat(cl.interfaceAddress()).isEqualTo("127.0.0.1");
    });
    assertThat(flags.decisionCache()).isEqualTo(ServerConfig.DecisionCacheMode.AUTO);

    ServerConfig env = ConfigLoader.load(Map.of(), Map.of("VERDICT_CLUSTER_NAME", "pdp",
        "VERDICT_CLUSTER_KUBERNETES_SERVICE", "verdict-members.verdict.svc.cluster.local",
        "VERDICT_CLUSTER_INTERFACE", "10.0.0.7", "VERDICT_DECISION_CACHE", "cluster",
        "VERDICT_MANAGEMENT_PORT", "9090"), Optional.empty());
    assertThat(env.cluster().orElseThrow().kubernetesService())
        .hasValue("verdict-members.verdict.svc.cluster.local");
    assertThat(env.cluster().orElseThrow().interfaceAddress()).isEqualTo("10.0.0.7");
    assertThat(env.decisionCache()).isEqualTo(ServerConfig.DecisionCacheMode.CLUSTER);
    assertThat(env.managementPort()).hasValue(9090);

    Path f = tmp.resolve("verdict.yaml");
    Files.writeString(f, "cluster:\n  name: pdp\n  members: [\"127.0.0.1:5701\", \"127.0.0.1:5703\"]\n"
        + "  interface: 127.0.0.1\n  heartbeat-seconds: 1\n  heartbeat-timeout-seconds: 3\n"
        + "decision-cache: \"off\"\nmanagement:\n  port: 9191\n");
    ServerConfig file = ConfigLoader.load(Map.of(), Map.of(), Optional.of(f));
    assertThat(file.cluster().orElseThrow().members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5703");
    assertThat(file.cluster().orElseThrow().heartbeatSeconds()).isEqualTo(1);
    assertThat(file.cluster().orElseThrow().maxNoHeartbeatSeconds()).isEqualTo(3);
    assertThat(file.decisionCache()).isEqualTo(ServerConfig.DecisionCacheMode.OFF);
    assertThat(file.managementPort()).hasValue(9191);
  }

  @Test
  void clusterMistakesNameTheSettingAndHowToFixIt() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("cluster-members", "127.0.0.1:5701"), Map.of(),
        Optional.empty())).hasMessageContaining("`cluster-members` needs `cluster-name` as well");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("cluster-name", "pdp"), Map.of(), Optional.empty()))
        .hasMessageContaining("needs `cluster-members` (host:port,…) or `cluster-kubernetes-service`");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("cluster-name", "pdp", "cluster-members", "127.0.0.1:5701",
        "cluster-kubernetes-service", "m.svc"), Map.of(), Optional.empty()))
        .hasMessageContaining("give one of them");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("cluster-name", "p d p", "cluster-members", "a:1"),
        Map.of(), Optional.empty())).hasMessageContaining("`cluster-name` must be 1 to 64 letters");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("cluster-name", "pdp", "cluster-members", "a b:1"),
        Map.of(), Optional.empty())).hasMessageContaining("is not host or host:port");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("decision-cache", "cluster"), Map.of(), Optional.empty()))
        .hasMessageContaining("no cluster is configured");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("decision-cache", "maybe"), Map.of(), Optional.empty()))
        .hasMessageContaining("must be `off`, `local`, `cluster` or `auto`");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("management-port", "8181"), Map.of(), Optional.empty()))
        .hasMessageContaining("must differ from `port`");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("bundle-keys", "/no/such/keys.json"), Map.of(),
        Optional.empty())).hasMessageContaining("which does not exist");
  }

  @Test
  void clusterLeasesAreOffByDefaultAndTakeTwoToAThousandTokens(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Map<String, String> cluster = Map.of("cluster-name", "pdp", "cluster-members", "127.0.0.1:5701");
    assertThat(ConfigLoader.load(cluster, Map.of(), Optional.empty()).cluster().orElseThrow().leaseTokens()).isZero();
    assertThat(ConfigLoader.load(cluster, Map.of("VERDICT_CLUSTER_LEASE", "5"), Optional.empty()).cluster()
        .orElseThrow().leaseTokens()).isEqualTo(5);
    Path f = tmp.resolve("verdict.yaml");
    Files.writeString(f, "cluster:\n  name: pdp\n  members: [\"127.0.0.1:5701\"]\n  lease: 8\n");
    assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)).cluster().orElseThrow().leaseTokens())
        .isEqualTo(8);
    assertThatThrownBy(() -> ConfigLoader.load(cluster, Map.of("VERDICT_CLUSTER_LEASE", "1"), Optional.empty()))
        .hasMessageContaining("`cluster-lease` must be 0 (no leases) or 2 to 1000 tokens");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("VERDICT_CLUSTER_LEASE", "5"), Optional.empty()))
        .hasMessageContaining("`cluster-lease` needs `cluster-name` as well");
  }

  @Test
  void theClusterBudgetTimeoutIs500MsByDefaultAnd10MsTo10s(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Map<String, String> cluster = Map.of("cluster-name", "pdp", "cluster-members", "127.0.0.1:5701");
    assertThat(ConfigLoader.load(cluster, Map.of(), Optional.empty()).cluster().orElseThrow().budgetTimeout())
        .isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(ConfigLoader.load(cluster, Map.of("VERDICT_CLUSTER_BUDGET_TIMEOUT_MS", "50"), Optional.empty())
        .cluster().orElseThrow().budgetTimeout()).isEqualTo(java.time.Duration.ofMillis(50));
    Path f = tmp.resolve("verdict.yaml");
    Files.writeString(f, "cluster:\n  name: pdp\n  members: [\"127.0.0.1:5701\"]\n  budget-timeout-ms: 2000\n");
    assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)).cluster().orElseThrow().budgetTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(2));
    for (String out : new String[] {"9", "10001", "-1", "soon"}) {
      assertThatThrownBy(() -> ConfigLoader.load(cluster, Map.of("VERDICT_CLUSTER_BUDGET_TIMEOUT_MS", out),
          Optional.empty())).as(out).hasMessageContaining("`cluster-budget-timeout-ms`");
    }
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("VERDICT_CLUSTER_BUDGET_TIMEOUT_MS", "50"),
        Optional.empty())).hasMessageContaining("`cluster-budget-timeout-ms` needs `cluster-name` as well");
  }

  @Test
  void theTransportIsAutoByDefaultAndOneOfThreeWords(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.empty()).transport()).isEqualTo(IoTransport.AUTO);
    assertThat(ConfigLoader.load(Map.of("transport", "nio"), Map.of(), Optional.empty()).transport())
        .isEqualTo(IoTransport.NIO);
    assertThat(ConfigLoader.load(Map.of(), Map.of("VERDICT_TRANSPORT", "IO_URING"), Optional.empty()).transport())
        .isEqualTo(IoTransport.IO_URING);
    Path f = tmp.resolve("verdict.yaml");
    Files.writeString(f, "transport: nio\n");
    assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.of(f)).transport()).isEqualTo(IoTransport.NIO);
    assertThat(ConfigLoader.load(Map.of("transport", "auto"), Map.of(), Optional.of(f)).transport())
        .as("a flag wins over the file").isEqualTo(IoTransport.AUTO);
    for (String wrong : new String[] {"epoll", "io-uring"}) {
      assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("VERDICT_TRANSPORT", wrong), Optional.empty()))
          .as(wrong).hasMessageContaining("`transport` must be `auto`, `io_uring` or `nio`, not `" + wrong + "`")
          .hasMessageContaining("VERDICT_TRANSPORT");
    }
  }
}

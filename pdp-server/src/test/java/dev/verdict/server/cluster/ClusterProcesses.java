package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real {@code verdict serve} processes (the test JVM's class path, Hazelcast's JVM flags as the
 * launcher gives them) forming one cluster on 127.0.0.1: free HTTP and cluster ports, a cluster
 * name of its own, and short join and heartbeat settings, so that a test class starts its
 * cluster in seconds and a killed member is noticed within five.
 */
final class ClusterProcesses implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The flags the {@code ./verdict} launcher gives {@code serve} for Hazelcast. */
  static final List<String> HAZELCAST_FLAGS = List.of("--add-modules", "java.se", "--add-exports",
      "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens",
      "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
  final List<Node> nodes = new ArrayList<>();
  /** Added to every member's environment. */
  final java.util.Map<String, String> env = new java.util.HashMap<>();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  /** One member: its process, ports and stderr file. */
  record Node(Process process, int port, int clusterPort, Path stderr) {
    String base() {
      return "http://127.0.0.1:" + port;
    }
  }

  record Answer(int status, String body, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  /**
   * Starts {@code n} members in {@code dir} (their working directory), each given {@code args}
   * after its ports and cluster settings, and waits until all are listening and see one
   * settled cluster of {@code n}.
   *
   * @param membersOf for member i, the cluster addresses it is told to join (normally all)
   */
  static ClusterProcesses start(Path dir, int n, List<String> args) throws Exception {
    return start(dir, n, args, java.util.Map.of());
  }

  /** {@link #start(Path, int, List)} with {@code env} added to each member's environment. */
  static ClusterProcesses start(Path dir, int n, List<String> args, java.util.Map<String, String> env)
      throws Exception {
    ClusterProcesses c = new ClusterProcesses();
    c.env.putAll(env);
    int[] clusterPorts = new int[n];
    for (int i = 0; i < n; i++) {
      clusterPorts[i] = freePort();
    }
    List<String> all = new ArrayList<>();
    for (int p : clusterPorts) {
      all.add("127.0.0.1:" + p);
    }
    try {
      for (int i = 0; i < n; i++) {
        c.add(dir, clusterPorts[i], all, args);
      }
      c.awaitListening();
      c.awaitSettled(n);
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Starts one more member that is told to join {@code members}; does not wait for it. */
  Node add(Path dir, int clusterPort, List<String> members, List<String> args) throws IOException {
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(HAZELCAST_FLAGS);
    cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "dev.verdict.server.cli.VerdictCommand", "serve", "--port", Integer.toString(port),
        "--cluster-name", name, "--cluster-port", Integer.toString(clusterPort),
        "--cluster-members", String.join(",", members), "--decision-log", "off"));
    cmd.addAll(args);
    Path err = Files.createTempFile(dir, "member-" + clusterPort + "-", ".err");
    ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
    b.environment().put("VERDICT_CLUSTER_JOIN_WAIT_SECONDS", "1");
    b.environment().put("VERDICT_CLUSTER_HEARTBEAT_SECONDS", "1");
    b.environment().put("VERDICT_CLUSTER_HEARTBEAT_TIMEOUT_SECONDS", "5");
    b.environment().putAll(env);
    Node node = new Node(b.start(), port, clusterPort, err);
    nodes.add(node);
    return node;
  }

  void awaitListening() throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (Node node : nodes) {
      while (!Files.readString(node.stderr()).contains("verdict: listening")) {
        assertThat(node.process().isAlive()).as("member %d: %s", node.clusterPort(), stderr(node)).isTrue();
        assertThat(System.nanoTime()).as("member %d listens: %s", node.clusterPort(), stderr(node)).isLessThan(until);
        Thread.sleep(100);
      }
    }
  }

  /** Waits until every live member sees {@code size} members, every one ready, no migration left. */
  void awaitSettled(int size) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (Node node : nodes) {
      if (!node.process().isAlive()) {
        continue;
      }
      while (true) {
        Answer answer = get(node, "/v1/cluster");
        JsonNode c = answer.status() == 200 ? answer.json() : null;
        if (c == null) {
          // a member that just lost another can take longer than the request timeout to say so
          assertThat(System.nanoTime()).as("member %d answers /v1/cluster: %s", node.clusterPort(), answer.body())
              .isLessThan(until);
          Thread.sleep(200);
          continue;
        }
        boolean ready = c.get("members").size() == size;
        for (JsonNode m : c.get("members")) {
          ready &= m.get("ready").asBoolean();
        }
        if (c.get("size").asInt() == size && c.get("settled").asBoolean() && ready) {
          break;
        }
        assertThat(System.nanoTime()).as("member %d settles in a cluster of %d: %s", node.clusterPort(), size, c)
            .isLessThan(until);
        Thread.sleep(200);
      }
    }
  }

  String stderr(Node node) {
    try {
      return Files.readString(node.stderr());
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }

  Answer get(Node node, String path, String... headers) {
    return send(node, HttpRequest.newBuilder(URI.create(node.base() + path)).GET(), headers);
  }

  Answer post(Node node, String path, String body, String... headers) {
    return send(node, HttpRequest.newBuilder(URI.create(node.base() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
  }

  private Answer send(Node node, HttpRequest.Builder b, String... headers) {
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A counter's value in a member's metrics (0 when absent). */
  double metric(Node node, String series) {
    String text = get(node, "/metrics").body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static int freePort() throws IOException {
    return dev.verdict.server.FreePorts.next();
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      node.process().destroyForcibly();
    }
    for (Node node : nodes) {
      try {
        node.process().waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

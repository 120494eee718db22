package dev.verdict.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.server.auth.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real {@code verdict serve} processes on 127.0.0.1, each in its own JVM with this test JVM's
 * class path, forming one cluster (unique name, free ports, no join wait, 1 s heartbeats). Each
 * node's output goes to a file, shown when a wait fails.
 */
final class BundleNodes implements AutoCloseable {
  static final String ADMIN_KEY = "bundle-admin-key-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String clusterName;
  private final Path dir;
  private final Path bundleKeys;
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();

  /** A node: its HTTP port and process. */
  record Node(String name, int port, int clusterPort, Process process, Path log) {
    String base() {
      return "http://127.0.0.1:" + port;
    }

    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no output: " + e.getMessage() + ")";
      }
    }
  }

  /** An HTTP answer. */
  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  /**
   * @param size how many members the cluster will have at most (their cluster ports are reserved now,
   *     so every node can be told every member)
   */
  BundleNodes(String clusterName, Path dir, Path bundleKeys, int size) throws IOException {
    this.clusterName = clusterName;
    this.dir = dir;
    this.bundleKeys = bundleKeys;
    for (int i = 0; i < size; i++) {
      clusterPorts.add(freePort());
    }
  }

  static int freePort() throws IOException {
    return dev.verdict.server.FreePorts.next();
  }

  /** Starts node number {@code index} (0-based) serving {@code policies}; returns once it answers /health/live. */
  Node start(int index, Path policies) throws Exception {
    return start(index, policies, List.of());
  }

  /** {@link #start(int, Path)} with more {@code verdict serve} arguments. */
  Node start(int index, Path policies, List<String> more) throws Exception {
    int port = freePort();
    int clusterPort = clusterPorts.get(index);
    String members = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    Path log = dir.resolve("node-" + index + ".log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "dev.verdict.server.cli.VerdictCommand", "serve",
        "--port", Integer.toString(port), "--policies", policies.toString(), "--event-loops", "1",
        "--reload-interval-ms", "200", "--decision-log", "off",
        "--cluster-name", clusterName, "--cluster-port", Integer.toString(clusterPort),
        "--cluster-members", members, "--bundle-keys", bundleKeys.toString()));
    cmd.addAll(more);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("VERDICT_API_KEYS", "ops=decide+admin=" + ApiKeys.hash(ADMIN_KEY));
    pb.environment().put("VERDICT_CLUSTER_JOIN_WAIT_SECONDS", "0");
    pb.environment().put("VERDICT_CLUSTER_HEARTBEAT_SECONDS", "1");
    pb.environment().put("VERDICT_CLUSTER_HEARTBEAT_TIMEOUT_SECONDS", "3");
    Node n = new Node("node-" + index, port, clusterPort, pb.start(), log);
    nodes.add(n);
    await(n, Duration.ofSeconds(120), "to answer /health/live", () -> get(n, "/health/live").status() == 200);
    return n;
  }

  /** Waits for {@code condition}, failing with the node's output when it does not hold in time. */
  static void await(Node n, Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      if (!n.process().isAlive()) {
        throw new AssertionError(n.name() + " exited (" + n.process().exitValue() + ") waiting " + what + ":\n"
            + n.output());
      }
      if (condition.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(n.name() + " did not manage " + what + " within " + limit + ":\n" + n.output());
      }
      Thread.sleep(100);
    }
  }

  static Answer get(Node n, String path) {
    return send(n, HttpRequest.newBuilder(URI.create(n.base() + path)).GET());
  }

  static Answer push(Node n, byte[] bundle) {
    return send(n, HttpRequest.newBuilder(URI.create(n.base() + "/v1/policies"))
        .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(bundle)));
  }

  static Answer post(Node n, String path, String json) {
    return send(n, HttpRequest.newBuilder(URI.create(n.base() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  static Answer delete(Node n, String path) {
    return send(n, HttpRequest.newBuilder(URI.create(n.base() + path)).DELETE());
  }

  /** The version a node serves now, from its own policy endpoint. */
  static String version(Node n) {
    return get(n, "/v1/policies").json().path("version").asText();
  }

  private static Answer send(Node n, HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = HTTP.send(b.header("X-API-Key", ADMIN_KEY).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (ConnectException e) {
      return new Answer(0, "");
    } catch (IOException e) {
      return new Answer(0, String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops every node (SIGTERM, then kill after a while) and waits for each to go. */
  @Override
  public void close() throws InterruptedException {
    for (Node n : nodes) {
      n.process().destroy();
    }
    for (Node n : nodes) {
      if (!n.process().waitFor(20, TimeUnit.SECONDS)) {
        n.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}

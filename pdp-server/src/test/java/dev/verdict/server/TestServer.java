package dev.verdict.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.StartupException;
import dev.verdict.server.boot.VerdictServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real server on a random port over a copy of the test policy set, with a low blocked-thread
 * threshold whose warnings showing a blocking call are collected ({@link BlockingCalls}), and an
 * HTTP client for it.
 */
public final class TestServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  static final Path FIXTURE = Path.of("src/test/resources/policies/bank");

  public final Path policies;
  public final Path decisionLog;
  public final VerdictServer server;
  public final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  /** Blocking calls seen on the server's threads (an event loop over 200 ms in one). */
  public final BlockingCalls blockingCalls;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  public record Response(int status, Map<String, List<String>> headers, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
  }

  public TestServer(Path tmp) throws IOException, StartupException {
    this(tmp, c -> c);
  }

  public TestServer(Path tmp, UnaryOperator<ServerConfig> adjust) throws IOException, StartupException {
    policies = tmp.resolve("policies");
    copy(FIXTURE, policies);
    decisionLog = tmp.resolve("decisions.log");
    ServerConfig config = adjust.apply(ServerConfig.defaults(policies, 0)
        .withDecisionLog(new ServerConfig.DecisionLogTarget(ServerConfig.DecisionLogTarget.Kind.FILE,
            Optional.of(decisionLog)), 10_000)
        .withReloadInterval(200));
    blockingCalls = BlockingCalls.collect();
    try {
      server = VerdictServer.start(config, Optional.empty(), new PrintStream(errBytes, true, StandardCharsets.UTF_8),
          BlockingCalls::lowThresholds);
    } catch (StartupException | RuntimeException e) {
      blockingCalls.close();
      throw e;
    }
    warmUp();
  }

  /**
   * The first request loads and compiles the HTTP and JSON path on an event loop; the warnings
   * of a loaded machine meanwhile are not about the code. So one request runs before they count.
   */
  private void warmUp() {
    try {
      // Refused before any decision: tests count decisions and their metrics exactly.
      post("/access/v1/evaluation", "{\"subject\":" + subject("warm-up") + "}");
    } catch (UncheckedIOException e) {
      // A TLS-only server refuses plain HTTP; its tests warm it with their own clients.
    }
    blockingCalls.clear();
  }

  public static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  public String base() {
    return "http://127.0.0.1:" + server.port();
  }

  public Response post(String path, String body, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  public Response get(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), headers);
  }

  public Response send(HttpRequest.Builder b, String... headers) {
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String stderr() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop();
    blockingCalls.close();
  }

  /** An AuthZEN subject with tenant t1. */
  public static String subject(String id, String... roles) {
    StringBuilder r = new StringBuilder();
    for (String role : roles) {
      r.append(r.length() == 0 ? "" : ",").append('"').append(role).append('"');
    }
    return "{\"type\":\"User\",\"id\":\"" + id + "\",\"properties\":{\"tenant\":\"t1\",\"roles\":[" + r + "]}}";
  }

  /** An AuthZEN account resource owned by {@code owner} in tenant t1. */
  public static String account(String id, String owner) {
    return "{\"type\":\"Account\",\"id\":\"" + id + "\",\"properties\":{\"owner\":\"" + owner
        + "\",\"tenant\":\"t1\",\"ssn\":\"123-45-6789\"}}";
  }
}

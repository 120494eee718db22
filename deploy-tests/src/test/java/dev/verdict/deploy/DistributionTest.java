package dev.verdict.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution `mvn package` builds, unpacked as a user (or the image's first stage) unpacks
 * it, run with nothing but a Java runtime and a POSIX shell on the PATH: the container image's
 * ENTRYPOINT, read from the Dockerfile, from the directory its WORKDIR names; and bin/verdict.
 * Runs in the integration-test phase, after pdp-server has packaged it.
 */
class DistributionTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String EVALUATION = "{\"subject\":{\"type\":\"User\",\"id\":\"alice\",\"properties\":"
      + "{\"roles\":[\"customer\"],\"tenant\":\"bank1\"}},\"resource\":{\"type\":\"Account\",\"id\":\"a1\","
      + "\"properties\":{\"owner\":\"alice\",\"tenant\":\"bank1\",\"frozen\":false}},\"action\":{\"name\":\"read\"}}";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path tmp;
  static Path home;
  /** A PATH with a shell, the few tools bin/verdict uses, and java: no Maven, no JDK tools. */
  static Map<String, String> env;

  static Unpacked unpacked;

  @BeforeAll
  static void unpack() throws Exception {
    unpacked = Unpacked.into(tmp);
    home = unpacked.home();
    env = unpacked.env();
  }

  @AfterAll
  static void unlinkTools() throws IOException {
    unpacked.unlinkTools();
  }

  @Test
  void holdsTheLauncherTheJarTheExamplesAndTheLicense() throws Exception {
    assertThat(Files.isExecutable(home.resolve("bin/verdict"))).isTrue();
    assertThat(Files.isExecutable(home.resolve("bin/verdict-cds"))).isTrue();
    for (String f : List.of("lib/verdict.jar", "lib/verdict.jsa", "lib/serve.options", "docs/examples/dev-gateway.yaml",
        "policies/banking/accounts.verdict", "policies/documents", "policies/admin-api", "README.md")) {
      assertThat(home.resolve(f)).exists();
    }
    assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
    assertThat(run(tmp, env, "sh", "-c", "command -v mvn || echo none").trim()).isEqualTo("none");
  }

  @Test
  void theZipHoldsWhatTheTarballHolds() throws Exception {
    Set<String> tar = new TreeSet<>(List.of(run(tmp, Map.of(), "tar", "-tzf", Repo.distribution().toString())
        .split("\n")));
    Path zipPath = Path.of(Repo.distribution().toString().replaceAll("\\.tar\\.gz$", ".zip"));
    Set<String> zip = new TreeSet<>();
    try (ZipFile z = new ZipFile(zipPath.toFile())) {
      z.stream().forEach(e -> zip.add(e.getName()));
    }
    tar.removeIf(n -> n.endsWith("/"));
    zip.removeIf(n -> n.endsWith("/"));
    assertThat(zip).isEqualTo(tar);
  }

  @Test
  void versionNamesTheVersionAndTheCommit() throws Exception {
    String out = run(tmp, env, home.resolve("bin/verdict").toString(), "--version");
    assertThat(out.trim()).matches("verdict " + Pattern.quote(Repo.version())
        + " \\(commit ([0-9a-f]{12}(-dirty)?|unknown)\\)");
  }

  @Test
  void theClassDataArchiveIsUsableAsShipped() throws Exception {
    // -Xshare:on makes an archive the JVM cannot map a startup error instead of a silent fallback
    String out = run(home, env, "java", "-Xshare:on", "-XX:SharedArchiveFile=lib/verdict.jsa", "-jar",
        "lib/verdict.jar", "--version");
    assertThat(out).startsWith("verdict " + Repo.version());
  }

  /**
   * picocli's classes are compiled for Java 5: Java 17 keeps such classes in a static archive only,
   * so with a dynamic one every start parsed and verified them on the main thread.
   */
  @Test
  void theArchiveHoldsTheCommandLineParser() throws Exception {
    String out = run(home, env, "java", "@lib/serve.options", "-Xshare:on", "-XX:SharedArchiveFile=lib/verdict.jsa",
        "-Xlog:class+load=info:stdout", "-jar", "lib/verdict.jar", "--version");
    assertThat(out).contains("picocli.CommandLine source: shared objects file")
        .contains("dev.verdict.server.cli.VerdictCommand source: shared objects file");
  }

  /** The image's command line, from the Dockerfile: the same argv, from its WORKDIR. */
  @Test
  void theImagesEntrypointServesFromTheDistribution() throws Exception {
    String dockerfile = Files.readString(Repo.root().resolve("Dockerfile"));
    Matcher workdir = Pattern.compile("(?m)^WORKDIR\\s+(\\S+)").matcher(dockerfile);
    Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile);
    assertThat(workdir.find()).isTrue();
    assertThat(entrypoint.find()).as("an exec-form ENTRYPOINT (no shell)").isTrue();
    assertThat(workdir.group(1)).as("the image unpacks the distribution there").isEqualTo("/opt/verdict");
    List<String> argv = new ArrayList<>();
    JSON.readTree(entrypoint.group(1)).forEach(n -> argv.add(n.asText()));
    assertThat(argv).startsWith("java").contains("@lib/serve.options").endsWith("serve");
    argv.addAll(List.of("--port", "0", "--management-port", "0"));
    try (Server s = Server.start(home, env, argv)) {
      assertAnswers(s);
      assertThat(s.stop()).isZero();
      assertThat(s.stderr()).contains("verdict: stopped");
    }
  }

  /**
   * The image's command line turns off Netty's Flight Recorder events: with them, the first
   * request loaded JFR's event machinery (a tenth of the time to the first answer,
   * docs/benchmarks.md). Read from the JVM's class-load log of one start and one decision.
   */
  @Test
  void theImagesCommandLineLoadsNoFlightRecorderEventsForTheFirstAnswer() throws Exception {
    String dockerfile = Files.readString(Repo.root().resolve("Dockerfile"));
    Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(dockerfile);
    assertThat(entrypoint.find()).isTrue();
    List<String> argv = new ArrayList<>();
    JSON.readTree(entrypoint.group(1)).forEach(n -> argv.add(n.asText()));
    Path classes = tmp.resolve("image-classes.txt");
    // after the options file, whose -Xlog:disable would turn it off
    argv.add(argv.indexOf("@lib/serve.options") + 1, "-Xlog:class+load=info:file=" + classes);
    argv.addAll(List.of("--port", "0", "--management-port", "0"));
    try (Server s = Server.start(home, env, argv)) {
      assertAnswers(s);
      assertThat(s.stop()).isZero();
    }
    List<String> loaded = Files.readAllLines(classes);
    assertThat(loaded).as("classes loaded").hasSizeGreaterThan(1000);
    assertThat(loaded).noneMatch(l -> l.contains("io.netty.buffer.AllocateChunkEvent ")
        || l.contains("jdk.jfr.internal.handlers.EventHandler"));
  }

  @Test
  void binVerdictServesWithoutMaven() throws Exception {
    List<String> argv = List.of(home.resolve("bin/verdict").toString(), "serve", "--port", "0", "--management-port", "0",
        "--policies", home.resolve("policies/banking").toString());
    try (Server s = Server.start(tmp, env, argv)) {
      assertAnswers(s);
      assertThat(s.stop()).isZero();
    }
  }

  static void assertAnswers(Server s) throws Exception {
    HttpResponse<String> decision = HTTP.send(HttpRequest.newBuilder(URI.create(s.decisions + "/access/v1/evaluation"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(EVALUATION)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(decision.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(decision.body());
    assertThat(body.get("decision").booleanValue()).isTrue();
    HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(s.management + "/health/ready"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  /** A server process, its addresses read from its startup lines on stderr. */
  static final class Server implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("^verdict: listening on (http://[^,]+),");
    private static final Pattern MANAGEMENT = Pattern.compile("^verdict: management .* on (http://\\S+)$");
    final Process process;
    Thread reader;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    String decisions;
    String management;

    private Server(Process process) {
      this.process = process;
    }

    static Server start(Path dir, Map<String, String> env, List<String> argv) throws Exception {
      ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      Server s = new Server(pb.start());
      CompletableFuture<Void> started = new CompletableFuture<>();
      s.reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(s.process.getErrorStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            s.lines.add(line);
            Matcher l = LISTENING.matcher(line);
            Matcher m = MANAGEMENT.matcher(line);
            if (l.find()) {
              s.decisions = l.group(1);
            } else if (m.find()) {
              s.management = m.group(1);
              started.complete(null);
            }
          }
        } catch (IOException e) {
          // the process ended
        }
        started.completeExceptionally(new AssertionError("the server ended before it listened: " + s.lines));
      });
      s.reader.setDaemon(true);
      s.reader.start();
      try {
        started.get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        s.close();
        throw new AssertionError("the server did not start: " + s.lines, e);
      }
      return s;
    }

    /** SIGTERM, as Kubernetes and docker stop send; the exit code. */
    int stop() throws InterruptedException {
      process.toHandle().destroy(); // Process.destroy() would also close the stream its last lines are on
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      reader.join(10_000); // the last lines it wrote
      return process.exitValue();
    }

    String stderr() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  static Path which(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(tool + " is not on the PATH");
  }

  static String run(Path dir, Map<String, String> env, String... argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
    if (!env.isEmpty()) {
      pb.environment().clear();
      pb.environment().putAll(new HashMap<>(env));
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", String.join(" ", argv), out).isZero();
    return out;
  }
}

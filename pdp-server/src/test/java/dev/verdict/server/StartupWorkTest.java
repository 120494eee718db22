package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code verdict serve} does before its first answer, read from the JVM's class-load log
 * of one real start (docs/benchmarks.md, "Start-up and memory"): no work that serving does not
 * need, and the independent shares of the start on two threads.
 */
class StartupWorkTest {
  /** {@code [tid] class source: ...}: the thread each class was loaded on. */
  private static final Pattern LOADED = Pattern.compile("^\\[(\\d+)\\]\\s*(\\S+) source:");

  @TempDir
  static Path tmp;
  static List<String> loads;

  @BeforeAll
  static void startOnce() throws Exception {
    Path policies = tmp.resolve("p");
    TestServer.copy(TestServer.FIXTURE, policies);
    Path classes = tmp.resolve("classes.txt");
    Path err = tmp.resolve("stderr.txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info:file=" + classes + ":tid", "-cp", System.getProperty("java.class.path"),
        "dev.verdict.server.cli.VerdictCommand", "serve", "--policies", policies.toString(), "--port", "0",
        "--decision-log", "off", "--reload-interval-ms", "0")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean listening = false;
      while (!listening && p.isAlive() && System.nanoTime() < until) {
        listening = Files.readString(err).contains("verdict: listening on");
        Thread.sleep(50);
      }
      assertThat(listening).as("the server started: " + Files.readString(err)).isTrue();
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    loads = Files.readAllLines(classes);
  }

  @Test
  void theCommandLineMakesNoHttpClient() {
    // picocli instantiates every verb; `entities` made its client (TLS trust store, a selector
    // thread) as its class loaded, a fifth of the start-up before the first answer
    assertThat(thread("jdk.internal.net.http.HttpClientImpl")).as("an HTTP client's class was loaded").isEmpty();
  }

  @Test
  void vertxStartsWhileThePolicySetCompiles() {
    Optional<String> vertx = thread("io.vertx.core.impl.VertxImpl");
    Optional<String> parser = thread("org.antlr.v4.runtime.Parser");
    assertThat(vertx).isPresent();
    assertThat(parser).isPresent();
    assertThat(vertx).as("Vert.x starts on a thread other than the one compiling the set").isNotEqualTo(parser);
  }

  /** The thread a class was loaded on, if it was loaded. */
  private static Optional<String> thread(String className) {
    for (String line : loads) {
      Matcher m = LOADED.matcher(line);
      if (m.find() && m.group(2).equals(className)) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}

package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verdict serve} as a process: the startup line on stderr (stdout carries the decision
 * log), no library warnings, SIGTERM stops it gracefully with exit code 0.
 */
class ServeProcessTest {
  @Test
  void sigtermStopsGracefullyWithExitCodeZero(@TempDir Path tmp) throws Exception {
    Path policies = tmp.resolve("p");
    TestServer.copy(TestServer.FIXTURE, policies);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "dev.verdict.server.cli.VerdictCommand", "serve", "--policies",
        policies.toString(), "--port", "0", "--decision-log", "stdout", "--shutdown-grace-ms", "3000")
        .redirectOutput(tmp.resolve("stdout.txt").toFile()).redirectError(tmp.resolve("stderr.txt").toFile()).start();
    try {
      // a file, not a pipe: reading a pipe while the process exits can fail with "Stream closed"
      Path errFile = tmp.resolve("stderr.txt");
      String line = null;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (line == null && System.nanoTime() < until) {
        line = java.nio.file.Files.readAllLines(errFile).stream().filter(l -> l.startsWith("verdict: listening"))
            .findFirst().orElse(null);
        Thread.sleep(50);
      }
      assertThat(line).startsWith("verdict: listening on http://127.0.0.1:").contains("policy version sha256:")
          .contains("(4 rules from ");
      Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(line);
      assertThat(m.find()).isTrue();
      String base = "http://127.0.0.1:" + m.group(1);
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      AtomicBoolean stopping = new AtomicBoolean();
      List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> loops = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thread t = new Thread(() -> {
          while (true) {
            try {
              var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                  + "/access/v1/evaluation")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"subject\":"
                  + TestServer.subject("alice") + ",\"resource\":" + TestServer.account("a1", "alice")
                  + ",\"action\":{\"name\":\"read\"}}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
              statuses.add(r.statusCode());
            } catch (java.io.IOException | UncheckedIOException e) {
              if (stopping.get()) {
                return; // refused or closed once the server stopped accepting
              }
              statuses.add(-1);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        t.start();
        loops.add(t);
      }
      // SIGTERM only once requests are really flowing, so that some are in flight when it lands.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (statuses.size() < 50 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(statuses).as("answers before the stop").hasSizeGreaterThanOrEqualTo(50);
      stopping.set(true);
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      for (Thread t : loops) {
        t.join(10_000);
      }
      assertThat(p.exitValue()).isZero();
      assertThat(statuses).isNotEmpty().allMatch(s -> s == 200);
      List<String> errLines = java.nio.file.Files.readAllLines(errFile);
      assertThat(errLines).contains("verdict: stopped");
      // Micrometer warned "This Gauge has been already registered" on the first request (a
      // blocked-thread warning may still appear on a loaded machine: that one is about the machine)
      assertThat(String.join("\n", errLines)).doesNotContain("micrometer").doesNotContain("already registered");
      List<String> stdout = java.nio.file.Files.readAllLines(tmp.resolve("stdout.txt"));
      assertThat(stdout).isNotEmpty().allMatch(l -> l.startsWith("{\"time\":"), "decision records only");
    } finally {
      p.destroyForcibly();
    }
  }
}

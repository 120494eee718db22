package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verdict serve} as a process: one startup line, SIGTERM stops it gracefully with exit code 0. */
class ServeProcessTest {
  @Test
  void sigtermStopsGracefullyWithExitCodeZero(@TempDir Path tmp) throws Exception {
    Path policies = tmp.resolve("p");
    TestServer.copy(TestServer.FIXTURE, policies);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "dev.verdict.server.cli.VerdictCommand", "serve", "--policies",
        policies.toString(), "--port", "0", "--decision-log", "off", "--shutdown-grace-ms", "3000")
        .redirectError(tmp.resolve("stderr.txt").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
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
      assertThat(java.nio.file.Files.readString(tmp.resolve("stderr.txt"))).contains("verdict: stopped");
    } finally {
      p.destroyForcibly();
    }
  }
}

package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.boot.IoTransport;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.StartupException;
import io.vertx.core.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The event loops' transport (docs/operations.md, "Transport"): each setting serves on what it
 * names, and a process whose kernel interface is taken away falls back or refuses, saying why.
 */
class TransportTest {
  private static final String ALICE_READS_A1 = "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
      + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}";

  private static boolean ioUringHere() {
    Transport uring = Transport.IO_URING;
    return uring != null && uring.available();
  }

  @ParameterizedTest
  @EnumSource(IoTransport.class)
  void eachSettingServesOnWhatItNames(IoTransport setting, @TempDir Path tmp) throws Exception {
    if (setting == IoTransport.IO_URING && !ioUringHere()) {
      TestServer.copy(TestServer.FIXTURE, tmp);
      StartupException e = StartupTest.refused(ServerConfig.defaults(tmp, 0).withTransport(setting));
      assertThat(e.exitCode()).isEqualTo(2);
      assertThat(e.getMessage()).contains("the io_uring transport (`transport` is `io_uring`) is not available here");
      return;
    }
    String expected = setting == IoTransport.NIO || !ioUringHere() ? "nio" : "io_uring";
    try (TestServer s = new TestServer(tmp, c -> c.withTransport(setting))) {
      assertThat(s.server.transport()).isEqualTo(expected);
      // many requests over several connections at once: reads and writes interleave on the loops
      HttpClient client = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(s.base() + "/access/v1/evaluation"))
            .POST(HttpRequest.BodyPublishers.ofString(ALICE_READS_A1)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> a : answers) {
        HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestServer.JSON.readTree(r.body()).get("decision").asBoolean()).isTrue();
      }
      assertThat(s.get("/metrics").body()).contains("verdict_transport_info{transport=\"" + expected + "\"} 1");
      if (setting == IoTransport.AUTO && !ioUringHere()) {
        assertThat(s.stderr()).contains("verdict: warning: io_uring is not available (");
      } else {
        assertThat(s.stderr()).doesNotContain("io_uring is not available");
      }
    }
  }

  @Test
  void withoutIoUringAutoWarnsAndServesOnNioWhileIoUringByNameIsRefused(@TempDir Path tmp) throws Exception {
    Path policies = tmp.resolve("p");
    TestServer.copy(TestServer.FIXTURE, policies);
    Process named = serve(policies, "io_uring");
    try {
      Stderr err = new Stderr(named, "verdict: listening");
      String all = err.all.get(60, TimeUnit.SECONDS); // the end of stderr: the process has exited
      assertThat(named.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(named.exitValue()).isEqualTo(2);
      assertThat(all).doesNotContain("verdict: listening").contains("error: cannot start Vert.x: the io_uring "
          + "transport (`transport` is `io_uring`) is not available here: Native transport was explicit disabled "
          + "with -Dio.netty.transport.noNative=true; set `transport` to `auto`");
    } finally {
      named.destroyForcibly();
    }
    Process auto = serve(policies, "auto");
    try {
      Stderr err = new Stderr(auto, "verdict: listening");
      String listening = err.line.get(60, TimeUnit.SECONDS);
      assertThat(err.text()).contains("verdict: warning: io_uring is not available "
          + "(Native transport was explicit disabled with -Dio.netty.transport.noNative=true); the event loops use NIO");
      Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(listening);
      assertThat(m.find()).isTrue();
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + m.group(1);
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/access/v1/evaluation"))
          .POST(HttpRequest.BodyPublishers.ofString(ALICE_READS_A1)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(TestServer.JSON.readTree(r.body()).get("decision").asBoolean()).isTrue();
      assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).contains("verdict_transport_info{transport=\"nio\"} 1");
    } finally {
      auto.destroy();
      auto.waitFor(20, TimeUnit.SECONDS);
      auto.destroyForcibly();
    }
  }

  /** {@code verdict serve} in its own JVM, with Netty's native transports switched off as an operator can. */
  private static Process serve(Path policies, String transport) throws Exception {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dio.netty.transport.noNative=true", "-cp", System.getProperty("java.class.path"),
        "dev.verdict.server.cli.VerdictCommand", "serve", "--policies", policies.toString(), "--port", "0",
        "--decision-log", "off", "--transport", transport)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  /**
   * A process's stderr, read line by line as it comes on a thread of its own: {@code line}
   * completes with the first line starting with the prefix, {@code all} with the whole text once
   * the stream ends (the process exited); a stream that ends without the line fails {@code line}.
   */
  private static final class Stderr {
    final CompletableFuture<String> line = new CompletableFuture<>();
    final CompletableFuture<String> all = new CompletableFuture<>();
    private final StringBuffer text = new StringBuffer();

    Stderr(Process p, String prefix) {
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
          for (String l = r.readLine(); l != null; l = r.readLine()) {
            text.append(l).append('\n');
            if (l.startsWith(prefix)) {
              line.complete(l);
            }
          }
        } catch (IOException e) {
          // the stream closes when the test destroys the process
        }
        line.completeExceptionally(new AssertionError("no `" + prefix + "` line before stderr ended: " + text));
        all.complete(text.toString());
      }, "stderr-reader");
      reader.setDaemon(true);
      reader.start();
    }

    String text() {
      return text.toString();
    }
  }
}

package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.server.boot.IoTransport;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.StartupException;
import dev.verdict.server.boot.VerdictServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server refuses to start rather than serve badly. */
class StartupTest {
  static StartupException refused(ServerConfig c) {
    PrintStream err = new PrintStream(new ByteArrayOutputStream());
    try {
      VerdictServer s = VerdictServer.start(c, Optional.empty(), err);
      s.stop();
      throw new AssertionError("the server started");
    } catch (StartupException e) {
      return e;
    }
  }

  @Test
  void noCredentialsMeansLoopbackOnly(@TempDir Path tmp) throws Exception {
    TestServer.copy(TestServer.FIXTURE, tmp);
    for (String host : new String[] {"0.0.0.0", "::", "10.1.2.3", "pdp.example.com"}) {
      StartupException e = refused(ServerConfig.defaults(tmp, 0).withHost(host));
      assertThat(e.exitCode()).isEqualTo(2);
      assertThat(e.getMessage()).contains("refusing to listen on `" + host + "` without credentials");
    }
  }

  @Test
  void aBrokenPolicySetIsRefusedWithItsDiagnostics(@TempDir Path tmp) throws Exception {
    TestServer.copy(TestServer.FIXTURE, tmp);
    Files.writeString(tmp.resolve("broken.verdict"), "policy p on Account {\n  permit reed to ownr\n");
    StartupException e = refused(ServerConfig.defaults(tmp, 0));
    assertThat(e.exitCode()).isEqualTo(1);
    assertThat(e.getMessage()).contains("broken.verdict:").contains("has errors; the server does not start");
  }

  @Test
  void aMissingDirectoryIsAUsageError(@TempDir Path tmp) {
    StartupException e = refused(ServerConfig.defaults(tmp.resolve("nope"), 0));
    assertThat(e.exitCode()).isEqualTo(2);
    assertThat(e.getMessage()).contains("does not exist");
  }

  /** On either transport: io_uring's bind error reads differently from NIO's, the cause must still show. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = IoTransport.class, names = {"AUTO", "NIO"})
  void aBusyPortIsReported(IoTransport transport, @TempDir Path tmp) throws Exception {
    TestServer.copy(TestServer.FIXTURE, tmp);
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      StartupException e = refused(ServerConfig.defaults(tmp, busy.getLocalPort()).withTransport(transport));
      assertThat(e.exitCode()).isEqualTo(2);
      assertThat(e.getMessage()).startsWith("cannot listen on 127.0.0.1:" + busy.getLocalPort())
          .endsWith(": Address already in use");
    }
  }

  @Test
  void stopIsGracefulAndReadinessDrops(@TempDir Path tmp) throws Exception {
    TestServer s = new TestServer(tmp);
    assertThat(s.get("/health/ready").status()).isEqualTo(200);
    s.close();
    assertThatThrownBy(() -> s.get("/health/live")).isInstanceOf(java.io.UncheckedIOException.class);
  }
}

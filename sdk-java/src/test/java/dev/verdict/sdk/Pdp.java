package dev.verdict.sdk;

import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.VerdictServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A real {@code verdict serve} on a random port over a copy of the banking example set (as pdp-server's TestServer). */
final class Pdp implements AutoCloseable {
  static final Path BANKING = Path.of("../policies/banking");

  final Path policies;
  final VerdictServer server;

  Pdp(Path tmp) throws Exception {
    this(tmp, c -> c);
  }

  Pdp(Path tmp, UnaryOperator<ServerConfig> adjust) throws Exception {
    policies = tmp.resolve("policies");
    copy(BANKING, policies);
    ServerConfig config = adjust.apply(ServerConfig.defaults(policies, 0)
        .withDecisionLog(ServerConfig.DecisionLogTarget.OFF, 1000).withReloadInterval(100));
    server = VerdictServer.start(config, Optional.empty(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  String version() {
    return server.store().current().orElseThrow().version();
  }

  @Override
  public void close() {
    server.stop();
  }
}

package dev.verdict.server.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The nginx configuration docs/gateways.md shows (its block marked {@code <!-- doctest: nginx -->}),
 * made runnable: inside an {@code http} block whose log, pid and temporary paths are in a scratch
 * directory. {@code DocsTest} runs {@code nginx -t} on it and {@link NginxGatewayTest} sends real
 * traffic through it, so the configuration users paste is the one tested.
 */
public final class DocNginx {
  static final Path DOC = Path.of("../docs/gateways.md");
  static final String MARKER = "<!-- doctest: nginx -->";

  private DocNginx() {}

  /** The text of the marked nginx block of docs/gateways.md. */
  public static String shown() {
    try {
      List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
      int at = lines.indexOf(MARKER);
      if (at < 0 || !lines.get(at + 1).equals("```nginx")) {
        throw new IllegalStateException("docs/gateways.md has no ```nginx block after " + MARKER);
      }
      StringBuilder body = new StringBuilder();
      for (int i = at + 2; !lines.get(i).startsWith("```"); i++) {
        body.append(lines.get(i)).append('\n');
      }
      return body.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code body} (http-level directives) as a whole nginx.conf that writes only below {@code dir}. */
  public static String wrap(String body, Path dir) {
    return """
        daemon off;
        master_process off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 64; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
        %2$s
        }
        """.formatted(dir, body);
  }

  /**
   * The shown configuration with this run's addresses: nginx on {@code port}, Verdict on
   * {@code verdictPort}, the back end on {@code upstreamPort}; nothing else changes.
   */
  public static String forRun(Path dir, int port, int verdictPort, int upstreamPort) {
    String body = shown();
    String run = body.replace("listen 80;", "listen 127.0.0.1:" + port + ";")
        .replace("127.0.0.1:8181", "127.0.0.1:" + verdictPort)
        .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + upstreamPort + ";");
    for (String needed : List.of("listen 80;", "127.0.0.1:8181", "server 127.0.0.1:8080;")) {
      if (!body.contains(needed)) {
        throw new IllegalStateException("the nginx block of docs/gateways.md no longer contains `" + needed + "`");
      }
    }
    return wrap(run, dir);
  }
}

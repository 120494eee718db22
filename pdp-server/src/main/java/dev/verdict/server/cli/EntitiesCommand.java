package dev.verdict.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict entities import|export}: moves a server's entity store to and from NDJSON
 * (docs/api.md, "Entity store"). The API key (with the {@code data} scope) comes from
 * {@code VERDICT_API_KEY} or a file, never from an argument, which would show in process
 * listings and shell history.
 */
@Command(name = "entities", description = "Import or export a server's entity store as NDJSON.",
    subcommands = {EntitiesCommand.Import.class, EntitiesCommand.Export.class})
final class EntitiesCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: import or export");
  }

  /** What both subcommands need to reach the server. */
  static class Server {
    @Option(names = "--server", required = true, description = "The server's base URL, e.g. http://127.0.0.1:8181")
    String url;

    @Option(names = "--api-key-file", description = "A file holding the API key (default: $VERDICT_API_KEY)")
    Path keyFile;

    String key() throws IOException {
      if (keyFile != null) {
        return Files.readString(keyFile, StandardCharsets.UTF_8).strip();
      }
      String k = System.getenv("VERDICT_API_KEY");
      return k == null ? "" : k.strip();
    }

    HttpRequest.Builder request(String path) throws IOException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
          .timeout(Duration.ofMinutes(30));
      String k = key();
      if (!k.isEmpty()) {
        b.header("X-API-Key", k);
      }
      return b;
    }
  }

  /**
   * Made when a subcommand runs, not when the class loads: picocli instantiates every verb for
   * every command line, and a client loads the TLS trust store and starts a selector thread,
   * about a fifth of {@code serve}'s start-up before this was lazy (docs/benchmarks.md).
   */
  static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Command(name = "import", description = "Send an NDJSON file of records (one {\"uid\", \"attrs\", \"parents\"} a line).")
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin
    Server server = new Server();
    @Parameters(paramLabel = "FILE", description = "The NDJSON file")
    Path file;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isRegularFile(file)) {
        err.println("error: `" + file + "` is not a file");
        return VerdictCommand.USAGE;
      }
      HttpResponse<String> r;
      try {
        r = http().send(server.request("/v1/entities/import").header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        err.println("error: cannot reach " + server.url + ": " + e.getMessage());
        return VerdictCommand.USAGE;
      }
      JsonNode body = new ObjectMapper().readTree(r.body());
      JsonNode summary = r.statusCode() == 200 ? body : body.path("error").path("details");
      for (JsonNode e : summary.path("errors")) {
        err.println(file + ":" + e.path("line").asLong() + ": " + e.path("message").asText()
            + (e.has("path") ? " (at " + e.path("path").asText() + ")" : ""));
      }
      if (r.statusCode() != 200) {
        err.println("error: " + r.statusCode() + " " + body.path("error").path("code").asText() + ": "
            + body.path("error").path("message").asText());
      }
      out.println("loaded " + summary.path("loaded").asLong() + " records, " + summary.path("failed").asLong()
          + " failed; revision " + summary.path("revision").asText());
      return r.statusCode() == 200 && summary.path("failed").asLong() == 0 ? VerdictCommand.OK : 1;
    }
  }

  @Command(name = "export", description = "Write every record (or one type's) as NDJSON.")
  static final class Export implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin
    Server server = new Server();
    @Option(names = "--type", description = "Only records of this entity type")
    String type;
    @Option(names = {"-o", "--output"}, required = true, description = "The NDJSON file to write")
    Path output;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      String path = "/v1/entities/export" + (type == null ? ""
          : "?type=" + java.net.URLEncoder.encode(type, StandardCharsets.UTF_8));
      HttpResponse<Path> r;
      try {
        r = http().send(server.request(path).GET().build(), HttpResponse.BodyHandlers.ofFile(output));
      } catch (IOException e) {
        err.println("error: cannot reach " + server.url + ": " + e.getMessage());
        return VerdictCommand.USAGE;
      }
      if (r.statusCode() != 200) {
        err.println("error: " + r.statusCode() + ": " + Files.readString(output, StandardCharsets.UTF_8));
        Files.deleteIfExists(output);
        return VerdictCommand.USAGE;
      }
      long lines;
      try (var s = Files.lines(output)) {
        lines = s.count();
      }
      spec.commandLine().getOut().println("exported " + lines + " records at revision "
          + r.headers().firstValue("X-Verdict-Revision").orElse("?") + " to " + output);
      return VerdictCommand.OK;
    }
  }
}

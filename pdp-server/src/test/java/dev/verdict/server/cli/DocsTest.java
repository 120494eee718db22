package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.VerdictServer;
import dev.verdict.server.gateway.DocNginx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * README.md, docs/language.md, docs/api.md and docs/gateways.md are run: every fenced block in
 * them carries a marker, an HTML comment on the line before it, that says how it runs (the
 * convention is in docs/STYLE.md):
 *
 * <ul>
 *   <li>{@code <!-- doctest: check -->} a {@code verdict} block is a whole policy file: alone in
 *       a directory, {@code verdict check} reports no error;
 *   <li>{@code <!-- doctest: check and test -->} the same, and {@code verdict test} passes its
 *       {@code test} blocks;
 *   <li>{@code <!-- doctest: console -->} a {@code console} block: each {@code $ ./verdict …}
 *       runs in process from the repository root and prints exactly the lines below it; each
 *       {@code $ curl …} runs (bash, real curl) against a server on a random port serving a copy
 *       of policies/banking ({@code localhost:8181} becomes its port) and prints the lines below
 *       it, masked;
 *   <li>{@code <!-- doctest: console after editing FILE: `OLD` to `NEW` -->} the same, on a
 *       copy of FILE's directory in which the first {@code OLD} of FILE reads {@code NEW};
 *   <li>{@code <!-- doctest: console in a shell -->} the commands run in one bash, in a scratch
 *       copy of policies/ and docs/examples/, where {@code ./verdict} is the CLI of this build;
 *       a command ending in {@code &} (a server) gets a free port, its output is not compared,
 *       and the next command waits until it answers; it is stopped (SIGTERM) at the end;
 *   <li>{@code <!-- doctest: http -->} an {@code sh} block of curl commands, followed by a
 *       {@code json} block with the answer, compared as JSON after masking;
 *   <li>{@code <!-- doctest: nginx -->} an {@code nginx} block passes {@code nginx -t} (inside an
 *       {@code http} block, with log and temporary paths in a scratch directory);
 *       {@code NginxGatewayTest} runs the same block with real traffic;
 *   <li>{@code <!-- doctest: skip: REASON -->} not run, for the reason given.
 * </ul>
 *
 * <p>Masking, for what changes from run to run: decision ids ({@code decision_id},
 * {@code decisionId}, any 32 hex digits), policy versions ({@code sha256:} and 64 hex digits,
 * or the {@code policy_version}, {@code policyVersion} and {@code version} members), times
 * ({@code at}, {@code loadedAt}) and the rate window's {@code reset}, which depends on the clock.
 * In a shown JSON answer, a string ending in {@code …} stands for any string with that start, a
 * member {@code "…": "…"} for members not shown, and an array element {@code "…"} for elements
 * not shown.
 */
class DocsTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final List<String> DOCS = List.of("README.md", "docs/language.md", "docs/api.md", "docs/gateways.md");
  static final Pattern MARKER = Pattern.compile("^<!-- doctest: (check|check and test|console|console in a shell|console after editing .+|http|nginx|skip: .+) -->$");
  /** {@code console after editing FILE: `OLD` to `NEW`}: the commands run on a copy of the repository's FILE so edited. */
  static final Pattern EDIT = Pattern.compile("console after editing (\\S+): `([^`]+)` to `([^`]+)`");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Served served;

  /** A fenced block: its doc, the line of its fence (1-based), its language, marker and text. */
  record Block(String doc, int line, String lang, String marker, String body, Block output) {
    String name() {
      return doc + ":" + line + " (" + marker + ")";
    }
  }

  static List<Block> blocks(String doc) throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve(doc), StandardCharsets.UTF_8);
    List<Block> raw = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("```")) {
        continue;
      }
      int fence = i;
      String lang = lines.get(i).substring(3).strip();
      StringBuilder body = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        body.append(lines.get(i)).append('\n');
      }
      Matcher m = fence > 0 ? MARKER.matcher(lines.get(fence - 1)) : MARKER.matcher("");
      raw.add(new Block(doc, fence + 1, lang, m.matches() ? m.group(1) : null, body.toString(), null));
    }
    // The block right after an `http` block is its answer, not an example of its own; so is an
    // unmarked block right after a skipped one.
    List<Block> out = new ArrayList<>();
    for (int k = 0; k < raw.size(); k++) {
      Block b = raw.get(k);
      boolean answered = "http".equals(b.marker()) || (b.marker() != null && b.marker().startsWith("skip")
          && k + 1 < raw.size() && raw.get(k + 1).marker() == null);
      if (answered && k + 1 < raw.size()) {
        out.add(new Block(b.doc(), b.line(), b.lang(), b.marker(), b.body(), raw.get(++k)));
      } else {
        out.add(b);
      }
    }
    return out;
  }

  @Test
  void everyBlockSaysHowItRuns() throws IOException {
    List<String> unmarked = new ArrayList<>();
    for (String doc : DOCS) {
      for (Block b : blocks(doc)) {
        if (b.marker() == null) {
          unmarked.add(doc + ":" + b.line() + " ```" + b.lang());
        }
      }
    }
    assertThat(unmarked).as("blocks without a `<!-- doctest: … -->` line before them (see docs/STYLE.md)").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyBlockRunsAndPrintsWhatItShows() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String doc : DOCS) {
      for (Block b : blocks(doc)) {
        if (b.marker() == null || b.marker().startsWith("skip")) {
          continue;
        }
        tests.add(DynamicTest.dynamicTest(b.name(), () -> run(b)));
      }
    }
    return tests.stream();
  }

  @AfterAll
  static void stopServer() {
    if (served != null) {
      served.close();
    }
  }

  private static void run(Block b) throws Exception {
    switch (b.marker()) {
      case "check" -> check(b);
      case "check and test" -> {
        check(b);
        test(b);
      }
      case "console" -> console(b, ROOT);
      case "console in a shell" -> consoleInAShell(b);
      case "http" -> http(b);
      case "nginx" -> nginx(b);
      default -> {
        Matcher edit = EDIT.matcher(b.marker());
        if (!edit.matches()) {
          fail("unknown marker " + b.marker());
        }
        consoleAfterEdit(b, edit.group(1), edit.group(2), edit.group(3));
      }
    }
  }

  private static void check(Block b) throws IOException {
    assertThat(b.lang()).as(b.name()).isIn("verdict", ""); // the README's policy has no language: GitHub knows none
    Path dir = Files.createTempDirectory("doc-check");
    try {
      Files.writeString(dir.resolve("example.verdict"), b.body());
      CliRun run = CliRun.of("check", dir.toString());
      assertThat(run.out()).as("%s: `verdict check` on the block", b.name()).doesNotContain("error[");
      assertThat(run.code()).as("%s:\n%s", b.name(), run.out() + run.err()).isZero();
    } finally {
      deleteTree(dir);
    }
  }

  /** A block that shows tests: alone in a directory, `verdict test` passes them all. */
  private static void test(Block b) throws IOException {
    Path dir = Files.createTempDirectory("doc-test");
    try {
      Files.writeString(dir.resolve("example.verdict"), b.body());
      CliRun run = CliRun.of("test", dir.toString());
      assertThat(run.code()).as("%s: `verdict test` on the block:\n%s", b.name(), run.out() + run.err()).isZero();
      assertThat(run.out()).as(b.name()).doesNotContain("FAIL");
    } finally {
      deleteTree(dir);
    }
  }

  /** One command of a console block and the lines shown after it. */
  record Command(String line, String shown) {}

  static List<Command> commands(String body) {
    List<Command> out = new ArrayList<>();
    StringBuilder cmd = null;
    StringBuilder shown = new StringBuilder();
    boolean open = false;
    for (String line : body.lines().toList()) {
      if (cmd != null && open) {
        cmd.append('\n').append(line);
        open = continues(cmd.toString());
        continue;
      }
      if (line.startsWith("$ ")) {
        if (cmd != null) {
          out.add(new Command(cmd.toString(), shown.toString()));
        }
        cmd = new StringBuilder(line.substring(2));
        shown.setLength(0);
        open = continues(cmd.toString());
      } else {
        shown.append(line).append('\n');
      }
    }
    if (cmd != null) {
      out.add(new Command(cmd.toString(), shown.toString()));
    }
    return out;
  }

  /** Whether a shell command goes on to the next line: an open quote, a `\`, an open loop. */
  private static boolean continues(String cmd) {
    long quotes = cmd.chars().filter(c -> c == '\'').count();
    boolean loop = cmd.startsWith("for ") && !cmd.strip().endsWith("done");
    return quotes % 2 == 1 || cmd.endsWith("\\") || loop;
  }

  private static void consoleInAShell(Block b) throws Exception {
    Path root = Files.createTempDirectory("doc-shell");
    try {
      copyTree(ROOT.resolve("policies"), root.resolve("policies"));
      copyTree(ROOT.resolve("docs/examples"), root.resolve("docs/examples"));
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Path verdict = root.resolve("verdict");
      Files.writeString(verdict, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -cp '"
          + System.getProperty("java.class.path") + "' " + VerdictCommand.class.getName() + " \"$@\"\n");
      verdict.toFile().setExecutable(true);
      int port;
      try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
        port = free.getLocalPort();
      }
      List<Command> commands = commands(b.body());
      StringBuilder script = new StringBuilder("set -u\n")
          .append("trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\n");
      for (int i = 0; i < commands.size(); i++) {
        String line = commands.get(i).line().replace("localhost:8181", "localhost:" + port);
        script.append("echo '@@doctest ").append(i).append("@@'\n");
        if (line.strip().endsWith("&")) {
          String cmd = line.strip();
          script.append(cmd, 0, cmd.length() - 1).append(" --port ").append(port).append(" >server.log 2>&1 &\n")
              .append("for t in $(seq 1 1200); do curl -s -o /dev/null localhost:").append(port)
              .append("/health/live && break; sleep 0.1; done\n");
        } else {
          script.append(line).append('\n');
        }
      }
      Process p = new ProcessBuilder("bash", "-c", script.toString()).directory(root.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finishes", b.name()).isTrue();
      for (int i = 0; i < commands.size(); i++) {
        int from = out.indexOf("@@doctest " + i + "@@\n");
        assertThat(from).as("%s: command %d ran:\n%s", b.name(), i, out).isNotNegative();
        from += ("@@doctest " + i + "@@\n").length();
        int to = i + 1 < commands.size() ? out.indexOf("@@doctest " + (i + 1) + "@@") : out.length();
        String actual = to < 0 ? out.substring(from) : out.substring(from, to);
        if (commands.get(i).line().strip().endsWith("&")) {
          continue; // the server's own output goes to server.log
        }
        assertThat(mask(actual.strip())).as("%s: output of `%s`", b.name(), commands.get(i).line())
            .isEqualTo(mask(commands.get(i).shown().strip()));
      }
    } finally {
      deleteTree(root);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (!f.toString().contains("/target/")) {
          Files.createDirectories(target.getParent());
          Files.copy(f, target);
        }
      }
    }
  }

  /** Runs the block in a scratch root holding a copy of the edited file's directory, edited. */
  private static void consoleAfterEdit(Block b, String file, String old, String now) throws Exception {
    Path root = Files.createTempDirectory("doc-edit");
    try {
      Path from = ROOT.resolve(file).getParent();
      Path to = root.resolve(ROOT.relativize(from));
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, to.resolve(f.getFileName().toString()));
        }
      }
      Path edited = root.resolve(file);
      String text = Files.readString(edited);
      assertThat(text).as("%s: `%s` in %s", b.name(), old, file).contains(old);
      Files.writeString(edited, text.replaceFirst(Pattern.quote(old), Matcher.quoteReplacement(now)));
      console(b, root);
    } finally {
      deleteTree(root);
    }
  }

  private static void console(Block b, Path root) throws Exception {
    assertThat(b.lang()).as(b.name()).isEqualTo("console");
    for (Command c : commands(b.body())) {
      String actual;
      if (c.line().startsWith("./verdict ")) {
        List<String> args = List.of(c.line().substring("./verdict ".length()).strip().split("\\s+"));
        actual = fromRoot(root, args);
      } else if (c.line().startsWith("curl ")) {
        int port = server().port();
        actual = bash(c.line().replace("localhost:8181", "localhost:" + port)).replace("localhost:" + port, "localhost:8181");
      } else {
        fail("%s: a console block runs `./verdict …` and `curl …` commands; found `%s`", b.name(), c.line());
        return;
      }
      assertThat(mask(actual.strip())).as("%s: output of `%s`", b.name(), c.line()).isEqualTo(mask(c.shown().strip()));
    }
  }

  private static void http(Block b) throws Exception {
    assertThat(b.output()).as("%s: the answer block after it", b.name()).isNotNull();
    String script = b.body().replace("localhost:8181", "localhost:" + server().port());
    String actual = bash(script).replace("localhost:" + server().port(), "localhost:8181");
    JsonNode got = JSON.readTree(actual);
    JsonNode shown = maskJson(JSON.readTree(b.output().body()));
    assertThat(matches(shown, maskJson(got.deepCopy()))).as("%s: the server answered\n%s\nthe doc shows\n%s",
        b.name(), got.toPrettyString(), shown.toPrettyString()).isTrue();
  }

  private static void nginx(Block b) throws Exception {
    Optional<Path> nginx = Stream.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"), Path.of("/usr/local/sbin/nginx"))
        .filter(Files::isExecutable).findFirst();
    if (nginx.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail("nginx is not installed, and CI must test the nginx configuration (.ci/run installs it)");
      }
      Assumptions.abort("nginx is not installed; skipping `nginx -t` of " + b.name());
    }
    Path dir = Files.createTempDirectory("doc-nginx");
    try {
      Files.writeString(dir.resolve("nginx.conf"), DocNginx.wrap(b.body(), dir));
      Process p = new ProcessBuilder(nginx.get().toString(), "-t", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
          "-e", dir.resolve("error.log").toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s: nginx -t says\n%s", b.name(), out).isZero();
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Runs the CLI as if from the repository root (the tests run in pdp-server/): arguments that
   * name files there are made absolute, and the root is taken out of what it prints.
   */
  static String fromRoot(Path root, List<String> args) {
    String[] absolute = args.stream()
        .map(a -> !a.startsWith("-") && Files.exists(root.resolve(a)) ? root.resolve(a).toString() : a)
        .toArray(String[]::new);
    CliRun run = CliRun.of(absolute);
    return (run.out() + run.err()).replace(root + "/", "");
  }

  static String bash(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  static String mask(String text) {
    return text.replaceAll("sha256:[0-9a-f]{64}", "sha256:<version>").replaceAll("\\b[0-9a-f]{32}\\b", "<id>")
        .lines().map(String::stripTrailing).reduce((a, c) -> a + "\n" + c).orElse("");
  }

  private static final List<String> VOLATILE = List.of("decision_id", "decisionId", "policy_version", "policyVersion",
      "version", "at", "loadedAt", "reset");

  static JsonNode maskJson(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        if (VOLATILE.contains(e.getKey()) && !e.getValue().isContainerNode()) {
          e.setValue(TextNode.valueOf("…"));
        } else {
          maskJson(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(DocsTest::maskJson);
    }
    return node;
  }

  /** Whether the answer {@code got} is what the doc shows, by the rules in the class comment. */
  static boolean matches(JsonNode shown, JsonNode got) {
    if (shown.isTextual() && shown.asText().endsWith("…")) {
      String start = shown.asText().substring(0, shown.asText().length() - 1);
      return got.isTextual() ? got.asText().startsWith(start) || got.asText().equals("…") : start.isEmpty();
    }
    if (shown.isObject()) {
      if (!got.isObject()) {
        return false;
      }
      boolean partial = shown.has("…");
      for (Iterator<String> it = shown.fieldNames(); it.hasNext();) {
        String k = it.next();
        if (!k.equals("…") && (!got.has(k) || !matches(shown.get(k), got.get(k)))) {
          return false;
        }
      }
      int shownSize = shown.size() - (partial ? 1 : 0);
      return partial || got.size() == shownSize;
    }
    if (shown.isArray()) {
      if (!got.isArray()) {
        return false;
      }
      boolean partial = shown.size() > 0 && "…".equals(shown.get(shown.size() - 1).asText(null));
      int n = shown.size() - (partial ? 1 : 0);
      if (partial ? got.size() < n : got.size() != n) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (!matches(shown.get(i), got.get(i))) {
          return false;
        }
      }
      return true;
    }
    return shown.equals(got);
  }

  /** The server the curl examples talk to: a copy of policies/banking, as `./verdict serve` serves. */
  private static synchronized VerdictServer server() throws Exception {
    if (served == null) {
      served = new Served();
    }
    return served.server;
  }

  private static final class Served implements AutoCloseable {
    final Path dir;
    final VerdictServer server;

    Served() throws Exception {
      dir = Files.createTempDirectory("doc-server");
      Path policies = dir.resolve("policies/banking");
      Files.createDirectories(policies);
      try (Stream<Path> files = Files.list(ROOT.resolve("policies/banking"))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.copy(f, policies.resolve(f.getFileName().toString()));
        }
      }
      ServerConfig config = ServerConfig.defaults(policies, 0)
          .withDecisionLog(new ServerConfig.DecisionLogTarget(ServerConfig.DecisionLogTarget.Kind.OFF, Optional.empty()), 1000);
      server = VerdictServer.start(config, Optional.empty(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      server.stop();
      try {
        deleteTree(dir);
      } catch (IOException e) {
        // a scratch directory left behind is not a test failure
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

package dev.verdict.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.syntax.Literals;
import dev.verdict.lang.testing.TestResult;
import dev.verdict.lang.testing.TestRunner;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.VerdictServer;
import dev.verdict.server.cli.VerdictCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One request (in the shape {@code verdict eval} reads) decided four ways against one policy
 * set: {@code verdict eval} in process, {@code POST /v1/decisions}, AuthZEN
 * {@code /access/v1/evaluation} on a real server on a random port, and a generated {@code test}
 * block. Each answer is normalised to
 * {@code {"decision", "reasons", "errors": ["rule: message"], "readMask", "writeDenied"}}, or
 * {@code {"invalid": "$.path"}} when the request was refused, with the paths of the three
 * wire formats mapped onto the eval request's.
 */
final class DecisionPaths implements AutoCloseable {
  /** Decimals as written: {@code 0.1} must not become a binary fraction on its way to a literal. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
  private static final Pattern INVALID = Pattern.compile("error: invalid request at (\\S+): ");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Path dir;
  private final Path work;
  private final VerdictServer server;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();
  private int requests;

  /** @param work a directory of its own, for request files and the test-block copy of the set */
  DecisionPaths(Path dir, Path work) throws Exception {
    this.dir = dir;
    this.work = work;
    Files.createDirectories(work);
    server = VerdictServer.start(ServerConfig.defaults(dir, 0)
        .withDecisionLog(ServerConfig.DecisionLogTarget.OFF, 1000), Optional.empty(),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop();
  }

  String serverErrors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  // ---- verdict eval

  JsonNode eval(JsonNode request) throws IOException {
    Path file = work.resolve("request-" + requests++ + ".json");
    Files.writeString(file, JSON.writeValueAsString(request), StandardCharsets.UTF_8);
    StringWriter out = new StringWriter();
    StringWriter errs = new StringWriter();
    int code = VerdictCommand.execute(new PrintWriter(out), new PrintWriter(errs), "eval", dir.toString(),
        "--request", file.toString(), "--format", "json");
    if (code == VerdictCommand.OK) {
      return decision(JSON.readTree(out.toString()), "decision", "readMask", "writeDenied");
    }
    Matcher m = INVALID.matcher(errs.toString());
    if (code == VerdictCommand.USAGE && m.find()) {
      return invalid(m.group(1));
    }
    throw new AssertionError("eval exited " + code + ": " + out + errs);
  }

  // ---- the native API

  JsonNode nativeApi(JsonNode request) {
    ObjectNode body = JSON.createObjectNode();
    body.set("principal", request.get("principal"));
    body.putArray("resources").add(request.get("resource"));
    body.putArray("actions").add(request.get("action"));
    copy(request, body, "context");
    copy(request, body, "entities");
    TestServer.Response r = post("/v1/decisions", body);
    if (r.status() == 200) {
      return decision(r.json().get("results").get(0), "decision", "readMask", "writeDenied");
    }
    return refused(r, Map.of("$.resources[0]", "$.resource"));
  }

  // ---- AuthZEN

  JsonNode authZen(JsonNode request) {
    ObjectNode body = JSON.createObjectNode();
    body.set("subject", authZenEntity(request.get("principal"), "User"));
    body.set("resource", authZenEntity(request.get("resource"), null));
    body.putObject("action").set("name", request.get("action"));
    copy(request, body, "context");
    copy(request, body, "entities");
    TestServer.Response r = post("/access/v1/evaluation", body);
    if (r.status() != 200) {
      return refused(r, Map.of("$.subject.properties", "$.principal", "$.subject", "$.principal",
          "$.resource.properties", "$.resource"));
    }
    JsonNode ctx = r.json().get("context");
    ObjectNode out = JSON.createObjectNode();
    out.put("decision", ctx.get("outcome").asText());
    out.set("reasons", ctx.get("reasons"));
    ArrayNode errors = out.putArray("errors");
    if (ctx.has("errors")) {
      ctx.get("errors").forEach(e -> errors.add(e.get("rule").asText() + ": " + e.get("message").asText()));
    }
    JsonNode fields = ctx.path("fields");
    out.set("readMask", fields.has("read") ? fields.get("read") : JSON.createObjectNode());
    out.set("writeDenied", sorted(fields.has("write") ? fields.get("write") : JSON.createArrayNode()));
    return out;
  }

  private static ObjectNode authZenEntity(JsonNode e, String defaultType) {
    ObjectNode out = JSON.createObjectNode();
    out.put("type", e.has("type") ? e.get("type").asText() : defaultType);
    out.set("id", e.get("id"));
    ObjectNode props = out.putObject("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getKey().equals("type") && !f.getKey().equals("id")) {
        props.set(f.getKey(), f.getValue());
      }
    }
    return out;
  }

  // ---- test blocks

  /**
   * The requests written as {@code test} blocks in a copy of the set, run by the test runner:
   * one normalised decision per request, {@code {"failed": "…"}} when the runner refused it,
   * or {@code {"refusedByChecker": true}} when the checker refuses the test block itself (a test
   * naming an action or type the set does not declare).
   */
  List<JsonNode> testBlocks(List<JsonNode> requests) throws IOException {
    Path copy = work.resolve("with-tests");
    copyTree(dir, copy);
    Path file = copy.resolve("zz_differential_tests.verdict");
    List<String> blocks = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      blocks.add(testBlock("differential " + i, requests.get(i)));
    }
    java.util.Set<Integer> refused = new java.util.TreeSet<>();
    LoadResult loaded;
    while (true) {
      StringBuilder b = new StringBuilder();
      List<int[]> lines = new ArrayList<>();
      int line = 1;
      for (int i = 0; i < blocks.size(); i++) {
        if (refused.contains(i)) {
          continue;
        }
        int n = (int) blocks.get(i).chars().filter(c -> c == '\n').count();
        lines.add(new int[] {i, line, line + n});
        line += n;
        b.append(blocks.get(i));
      }
      Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
      loaded = Verdict.load(copy);
      if (loaded.ok()) {
        break;
      }
      int before = refused.size();
      for (dev.verdict.lang.source.Diagnostic d : loaded.diagnostics()) {
        if (d.isError() && d.span().file().endsWith("zz_differential_tests.verdict")) {
          lines.stream().filter(l -> d.span().line() >= l[1] && d.span().line() < l[2]).forEach(l -> refused.add(l[0]));
        }
      }
      if (refused.size() == before) {
        throw new AssertionError("the set with generated tests does not load: " + loaded.check().render() + "\n" + b);
      }
    }
    Map<String, TestResult> byName = new TreeMap<>();
    TestRunner.run(loaded.policySet().orElseThrow()).results().forEach(r -> byName.put(r.name(), r));
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      TestResult r = byName.get("differential " + i);
      if (r == null) {
        out.add(JSON.createObjectNode().put("refusedByChecker", true));
        continue;
      }
      out.add(r.decision().map(DecisionPaths::decision)
          .orElseGet(() -> JSON.createObjectNode().put("failed", String.join("; ", r.failures()))));
    }
    return out;
  }

  /** Whether a request can be written as a test block at all (action names are identifiers). */
  static boolean expressibleAsTest(JsonNode request) {
    if (!NAME.matcher(request.path("action").asText()).matches()) {
      return false;
    }
    // `"parents": []` says "no parents, whatever the data files say"; a test block's entity
    // without `in` leaves the parents unstated, and has no way to say none.
    List<JsonNode> entities = new ArrayList<>(List.of(request.path("principal"), request.path("resource")));
    request.path("entities").forEach(entities::add);
    return entities.stream().noneMatch(e -> e.path("parents").isArray() && e.path("parents").isEmpty());
  }

  static String testBlock(String name, JsonNode r) {
    StringBuilder b = new StringBuilder("test ").append(Literals.quote(name)).append(" {\n");
    b.append("  principal ").append(entitySpec(r.get("principal"), "User")).append('\n');
    b.append("  resource ").append(entitySpec(r.get("resource"), null)).append('\n');
    if (r.hasNonNull("entities")) {
      for (JsonNode e : r.get("entities")) {
        ObjectNode flat = JSON.createObjectNode();
        flat.set("type", e.get("uid").get("type"));
        flat.set("id", e.get("uid").get("id"));
        if (e.hasNonNull("attrs")) {
          flat.setAll((ObjectNode) e.get("attrs"));
        }
        if (e.hasNonNull("parents")) {
          flat.set("parents", e.get("parents"));
        }
        b.append("  entity ").append(entitySpec(flat, null)).append('\n');
      }
    }
    if (r.hasNonNull("context")) {
      b.append("  context ").append(literal(r.get("context"))).append('\n');
    }
    b.append("  action ").append(r.get("action").asText()).append('\n');
    return b.append("  expect allow\n}\n\n").toString();
  }

  private static String entitySpec(JsonNode e, String defaultType) {
    StringBuilder b = new StringBuilder();
    b.append(e.has("type") ? e.get("type").asText() : defaultType).append(' ')
        .append(Literals.quote(e.get("id").asText()));
    if (e.hasNonNull("parents") && !e.get("parents").isEmpty()) {
      List<String> parents = new ArrayList<>();
      e.get("parents").forEach(p -> parents.add(p.get("type").asText() + " " + Literals.quote(p.get("id").asText())));
      b.append(" in ").append(String.join(", ", parents));
    }
    ObjectNode attrs = JSON.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!List.of("type", "id", "parents").contains(f.getKey())) {
        attrs.set(f.getKey(), f.getValue());
      }
    }
    return b.append(' ').append(literal(attrs)).toString();
  }

  /** A JSON value as a policy literal: {@code {"__entity": …}} as {@code Type::"id"}. */
  static String literal(JsonNode v) {
    if (v.isTextual()) {
      return Literals.quote(v.textValue());
    }
    if (v.isNumber()) {
      return v.decimalValue().toPlainString();
    }
    if (v.isBoolean()) {
      return String.valueOf(v.booleanValue());
    }
    if (v.isArray()) {
      List<String> items = new ArrayList<>();
      v.forEach(x -> items.add(literal(x)));
      return "[" + String.join(", ", items) + "]";
    }
    if (v.size() == 1 && v.has("__entity")) {
      JsonNode ref = v.get("__entity");
      return ref.get("type").asText() + "::" + Literals.quote(ref.get("id").asText());
    }
    List<String> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isNull()) {
        continue;
      }
      String key = NAME.matcher(f.getKey()).matches() ? f.getKey() : Literals.quote(f.getKey());
      entries.add(key + ": " + literal(f.getValue()));
    }
    return "{ " + String.join(", ", entries) + " }";
  }

  // ---- normal forms

  static ObjectNode decision(Decision d) {
    ObjectNode out = JSON.createObjectNode();
    out.put("decision", d.outcome().word());
    ArrayNode reasons = out.putArray("reasons");
    d.reasons().forEach(reasons::add);
    ArrayNode errors = out.putArray("errors");
    for (EvalError e : d.errors()) {
      errors.add(e.ruleId() + ": " + e.message());
    }
    ObjectNode read = out.putObject("readMask");
    new TreeMap<>(d.readMask()).forEach((k, v) -> read.put(k, v.text()));
    ArrayNode write = out.putArray("writeDenied");
    new TreeSet<>(d.writeDenied()).forEach(write::add);
    return out;
  }

  private static ObjectNode decision(JsonNode answer, String decision, String read, String write) {
    ObjectNode out = JSON.createObjectNode();
    out.put("decision", answer.get(decision).asText());
    out.set("reasons", answer.get("reasons"));
    ArrayNode errors = out.putArray("errors");
    answer.get("errors").forEach(e -> errors.add(e.get("rule").asText() + ": " + e.get("message").asText()));
    out.set("readMask", answer.get(read));
    out.set("writeDenied", sorted(answer.get(write)));
    return out;
  }

  private static ArrayNode sorted(JsonNode array) {
    TreeSet<String> s = new TreeSet<>();
    array.forEach(x -> s.add(x.asText()));
    ArrayNode out = JSON.createArrayNode();
    s.forEach(out::add);
    return out;
  }

  static ObjectNode invalid(String path) {
    return JSON.createObjectNode().put("invalid", path);
  }

  private static JsonNode refused(TestServer.Response r, Map<String, String> prefixes) {
    JsonNode error = r.json().path("error");
    if (r.status() != 400 || !error.path("code").asText().equals("invalid_request")) {
      throw new AssertionError("expected a decision or invalid_request, got " + r.status() + " " + r.body());
    }
    String path = error.path("details").path("path").asText();
    List<Map.Entry<String, String>> longestFirst = new ArrayList<>(prefixes.entrySet());
    longestFirst.sort((a, b) -> b.getKey().length() - a.getKey().length());
    for (Map.Entry<String, String> p : longestFirst) {
      if (path.equals(p.getKey()) || path.startsWith(p.getKey() + ".") || path.startsWith(p.getKey() + "[")) {
        path = p.getValue() + path.substring(p.getKey().length());
        break;
      }
    }
    return invalid(path);
  }

  // ---- plumbing

  private static void copy(JsonNode from, ObjectNode to, String key) {
    if (from.hasNonNull(key)) {
      to.set(key, from.get(key));
    }
  }

  TestServer.Response post(String path, JsonNode body) {
    try {
      return post(path, JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestServer.Response post(String path, String body) {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + path))
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new TestServer.Response(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}

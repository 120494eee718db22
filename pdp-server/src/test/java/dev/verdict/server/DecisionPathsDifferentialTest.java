package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.eval.Constants;
import dev.verdict.lang.eval.PolicySetInternals;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.route.RouteMatch;
import dev.verdict.lang.route.RouteTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same requests decided through {@code verdict eval}, {@code /v1/decisions}, AuthZEN and
 * {@code test} blocks must get identical decisions, reasons, masks and errors (issue 9 item 4).
 * The requests: every semantics case of the language module, every test block of the example
 * sets (written out as request JSON), and a set declaring a value of every type, sent as JSON,
 * valid and invalid. Invalid requests must be refused at the same JSON path by the three wire
 * formats.
 *
 * <p>Two things are not compared, because the paths differ by design: the server stamps
 * {@code context.now} with its own clock (so for sets whose policies read {@code now}, eval is
 * compared with the test blocks at a fixed time, and the native API with AuthZEN), and the
 * server's rate budgets are shared by all the requests of a set while eval applies none (so
 * the example sets are decided without their {@code limits.verdict}; budgets have tests of
 * their own). A test block the checker refuses (one naming an action or entity type the set
 * does not declare) cannot be run; those requests are compared on the three other paths.
 */
class DecisionPathsDifferentialTest {
  static final Path CASES = Path.of("../policy-language/src/test/resources/cases");
  static final Path EXAMPLES = Path.of("../policies");
  static final String FIXED_NOW = "2024-01-01T12:00:00Z";

  @TempDir
  static Path tmp;

  /** A policy set and the requests to decide against it. */
  record Group(String name, Path dir, List<JsonNode> requests) {}

  @TestFactory
  Stream<DynamicTest> everyPathDecidesAlike() throws Exception {
    List<Group> groups = new ArrayList<>();
    groups.addAll(semanticsCases());
    groups.addAll(exampleSets());
    groups.add(typedSet());
    int total = groups.stream().mapToInt(g -> g.requests().size()).sum();
    assertThat(total).as("requests compared").isGreaterThanOrEqualTo(250);
    Stream<DynamicTest> each = groups.stream().map(g -> DynamicTest.dynamicTest(
        g.name() + " (" + g.requests().size() + " requests)", () -> compare(g)));
    // Runs last: most requests must also have gone through a test block, not around it.
    DynamicTest coverage = DynamicTest.dynamicTest("test blocks decided most requests", () ->
        assertThat(TEST_BLOCKS_COMPARED.get()).as("test blocks run; %s refused by the checker",
            TEST_BLOCKS_REFUSED.get()).isGreaterThanOrEqualTo(total * 3 / 4));
    return Stream.concat(each, Stream.of(coverage));
  }

  private static void compare(Group g) throws Exception {
    boolean readsNow = policyText(g.dir()).matches("(?s).*\\bnow\\b.*");
    try (DecisionPaths paths = new DecisionPaths(g.dir(), tmp.resolve("work-" + g.dir().getFileName()))) {
      List<JsonNode> forTests = new ArrayList<>();
      List<JsonNode> evalAnswers = new ArrayList<>();
      List<Integer> testIndex = new ArrayList<>();
      for (JsonNode request : g.requests()) {
        JsonNode fixed = readsNow ? withNow(request) : request;
        JsonNode viaEval = paths.eval(fixed);
        JsonNode viaNative = paths.nativeApi(request);
        JsonNode viaAuthZen = paths.authZen(request);
        String what = g.name() + ": " + request;
        assertThat(viaAuthZen).as("AuthZEN and the native API, %s", what).isEqualTo(viaNative);
        if (!readsNow) {
          assertThat(viaEval).as("eval and the native API, %s", what).isEqualTo(viaNative);
        }
        evalAnswers.add(viaEval);
        if (!viaEval.has("invalid") && DecisionPaths.expressibleAsTest(fixed)) {
          testIndex.add(evalAnswers.size() - 1);
          forTests.add(fixed);
        }
      }
      List<JsonNode> viaTests = paths.testBlocks(forTests);
      int compared = 0;
      for (int i = 0; i < forTests.size(); i++) {
        if (viaTests.get(i).has("refusedByChecker")) {
          continue;
        }
        compared++;
        assertThat(viaTests.get(i)).as("test block and eval, %s: %s", g.name(), forTests.get(i))
            .isEqualTo(evalAnswers.get(testIndex.get(i)));
      }
      TEST_BLOCKS_REFUSED.addAndGet(forTests.size() - compared);
      TEST_BLOCKS_COMPARED.addAndGet(compared);
      assertThat(paths.serverErrors()).as("server messages").doesNotContain("Exception");
    }
  }

  static final java.util.concurrent.atomic.AtomicInteger TEST_BLOCKS_COMPARED = new java.util.concurrent.atomic.AtomicInteger();
  static final java.util.concurrent.atomic.AtomicInteger TEST_BLOCKS_REFUSED = new java.util.concurrent.atomic.AtomicInteger();

  private static JsonNode withNow(JsonNode request) {
    ObjectNode r = request.deepCopy();
    ObjectNode ctx = r.hasNonNull("context") ? (ObjectNode) r.get("context") : r.putObject("context");
    if (!ctx.has("now")) {
      ctx.put("now", FIXED_NOW);
    }
    return r;
  }

  private static String policyText(Path dir) throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.toString().endsWith(".verdict")) {
          b.append(Files.readString(f)).append('\n');
        }
      }
    }
    return b.toString();
  }

  // ---- the semantics cases: one group per distinct policy set

  private static List<Group> semanticsCases() throws IOException {
    Map<String, Group> bySet = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(CASES)) {
      files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      JsonNode root = DecisionPaths.JSON.readTree(f.toFile());
      List<JsonNode> cases = new ArrayList<>();
      JsonNode suite = null;
      if (root.isArray()) {
        root.forEach(cases::add);
      } else if (root.has("cases")) {
        suite = root;
        root.get("cases").forEach(cases::add);
      } else {
        cases.add(root);
      }
      for (JsonNode c : cases) {
        JsonNode policies = c.has("policies") || c.has("files") ? c.get("policies") : suite == null ? null
            : suite.get("policies");
        JsonNode extra = c.has("policies") || c.has("files") ? c.get("files") : suite == null ? null
            : suite.get("files");
        String key = String.valueOf(policies) + "\u0000" + extra;
        Group g = bySet.get(key);
        if (g == null) {
          Path dir = tmp.resolve("case-set-" + bySet.size());
          writeSet(dir, policies, extra);
          g = new Group("semantics " + CASES.relativize(f) + " › " + c.get("name").asText(), dir, new ArrayList<>());
          bySet.put(key, g);
        }
        g.requests().add(c.get("request"));
      }
    }
    return new ArrayList<>(bySet.values());
  }

  private static void writeSet(Path dir, JsonNode policies, JsonNode files) throws IOException {
    Files.createDirectories(dir);
    if (policies != null) {
      Files.writeString(dir.resolve("policy.verdict"), text(policies), StandardCharsets.UTF_8);
    }
    if (files != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String content = f.getKey().endsWith(".json") ? DecisionPaths.JSON.writeValueAsString(f.getValue())
            : text(f.getValue());
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
      }
    }
  }

  private static String text(JsonNode n) {
    if (n.isArray()) {
      List<String> lines = new ArrayList<>();
      n.forEach(l -> lines.add(l.asText()));
      return String.join("\n", lines) + "\n";
    }
    return n.asText();
  }

  // ---- the example sets: their test blocks as request JSON

  private static List<Group> exampleSets() throws IOException {
    List<Group> out = new ArrayList<>();
    for (String name : List.of("banking", "documents", "admin-api")) {
      Path dir = tmp.resolve("example-" + name);
      DecisionPaths.copyTree(EXAMPLES.resolve(name), dir);
      LoadResult loaded = Verdict.load(dir);
      assertThat(loaded.ok()).as("%s loads: %s", name, loaded.diagnostics()).isTrue();
      List<JsonNode> requests = new ArrayList<>();
      RouteTable routes = RouteTable.build(loaded.policySet().orElseThrow().routes());
      for (Decl.TestDecl t : PolicySetInternals.tests(loaded.policySet().orElseThrow())) {
        JsonNode r = requestOf(t, routes);
        if (r != null) {
          requests.add(r);
        }
      }
      // The tests themselves stay out of the set the paths load: they only supply requests.
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String n = f.getFileName().toString();
          if (n.endsWith("_tests.verdict") || n.equals("limits.verdict")) {
            Files.delete(f);
          }
        }
      }
      assertThat(requests).as("requests from the tests of %s", name).isNotEmpty();
      out.add(new Group("example set " + name, dir, requests));
    }
    return out;
  }

  /**
   * A test block's request as eval JSON. A gateway request ({@code request GET "…"}) is routed
   * as the test runner routes it: resource, action, intent and parameters from the route.
   */
  private static JsonNode requestOf(Decl.TestDecl t, RouteTable routes) {
    ObjectNode r = DecisionPaths.JSON.createObjectNode();
    ArrayNode entities = DecisionPaths.JSON.createArrayNode();
    ObjectNode routed = null;
    for (TestItem item : t.items()) {
      if (item instanceof TestItem.RequestSpec q) {
        if (!(routes.match(q.method().name(), q.path().value()) instanceof RouteMatch.Matched m)) {
          return null;
        }
        ObjectNode route = DecisionPaths.JSON.createObjectNode();
        route.put("type", m.resourceType()).put("id", m.resourceId().orElse("")).put("action", m.action());
        m.intent().ifPresent(i -> route.put("intent", i));
        ObjectNode params = route.putObject("params");
        routed = route;
        m.params().forEach(params::put);
      } else if (item instanceof TestItem.EntitySpec s) {
        ObjectNode attrs = s.attrs().map(DecisionPathsDifferentialTest::record).orElse(DecisionPaths.JSON.createObjectNode());
        String type = s.type().map(i -> i.name()).orElse("User");
        String id = s.id().map(x -> x.value()).orElseGet(() -> attrs.path("id").asText());
        attrs.remove("id");
        ArrayNode parents = DecisionPaths.JSON.createArrayNode();
        s.parents().forEach(p -> parents.addObject().put("type", p.type().name()).put("id", p.id().value()));
        if (s.role() == TestItem.EntityRole.ENTITY) {
          ObjectNode e = entities.addObject();
          e.putObject("uid").put("type", type).put("id", id);
          e.set("attrs", attrs);
          e.set("parents", parents);
        } else {
          ObjectNode e = DecisionPaths.JSON.createObjectNode().put("type", type).put("id", id);
          e.setAll(attrs);
          if (!parents.isEmpty()) {
            e.set("parents", parents);
          }
          r.set(s.role() == TestItem.EntityRole.PRINCIPAL ? "principal" : "resource", e);
        }
      } else if (item instanceof TestItem.ContextSpec c) {
        r.set("context", record(c.attrs()));
      } else if (item instanceof TestItem.ActionSpec a) {
        r.put("action", a.action().name());
      }
    }
    if (!entities.isEmpty()) {
      r.set("entities", entities);
    }
    if (routed != null) {
      ObjectNode res = r.has("resource") ? (ObjectNode) r.get("resource") : r.putObject("resource");
      res.put("type", routed.get("type").asText()).put("id", routed.get("id").asText());
      r.put("action", routed.get("action").asText());
      ObjectNode ctx = r.has("context") ? (ObjectNode) r.get("context") : r.putObject("context");
      if (routed.has("intent")) {
        ctx.put("intent", routed.get("intent").asText());
      }
      ctx.set("params", routed.get("params"));
    }
    return r.has("principal") && r.has("resource") && r.has("action") ? r : null;
  }

  private static ObjectNode record(Expr.RecordLit lit) {
    ObjectNode o = DecisionPaths.JSON.createObjectNode();
    for (Expr.Entry e : lit.entries()) {
      Value v = Constants.valueOf(e.value());
      assertThat(v).as("test value %s is a literal", e.key().name()).isNotNull();
      o.set(e.key().name(), Values.toJson(v));
    }
    return o;
  }

  // ---- a set with a value of every declared type

  private static Group typedSet() throws IOException {
    Path dir = tmp.resolve("typed");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("schema.verdict"), """
        entity User { level: Number }
        entity Team
        entity Booking in Team {
          start: Time
          length: Duration
          price: Number
          by: User
          at: Ip
          allowed: Set<Ip>
          slots: Set<{ at: Time, seats: Number }>
          meta: { origin: Ip, grace: Duration }
        }
        context { src: Ip, amount: Number, at: Time, wait: Duration, who: User, nets: Set<Ip> }
        """, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("rules.verdict"), """
        policy bookings on Booking {
          @id("window") permit read when resource.start + resource.length > context.at
          @id("wait") permit read when context.wait < resource.meta.grace
          @id("exact") permit approve when context.amount > 1000000000000000000
          @id("mine") permit update when resource.by == principal and context.who == principal
          @id("ip-eq") permit connect when context.src == ip("10.0.0.1")
          @id("ip-ne") forbid connect when context.src != ip("10.0.0.1") and context.src != ip("10.0.0.2")
          @id("ip-in") permit connect when context.src in resource.allowed
          @id("cidr") permit ping when cidr(resource.at, "10.0.0.0/8") and resource.meta.origin in context.nets
          @id("dur") permit renew when duration(resource.length) == 1h and resource.length + resource.meta.grace == 90m
          @id("slot") permit book when { at: context.at, seats: 2 } in resource.slots
          @id("level") permit read when principal.level > 2.5
        }
        """, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("bookings.entities.json"), """
        [{"uid": {"type": "Booking", "id": "stored"}, "parents": [{"type": "Team", "id": "t"}],
          "attrs": {"start": "2024-01-01T10:00:00Z", "length": "1h", "price": 10.25,
                    "by": {"__entity": {"type": "User", "id": "alice"}}, "at": "10.1.2.3",
                    "allowed": ["10.0.0.3", "::1"],
                    "slots": [{"at": "2024-01-01T10:00:00+00:00", "seats": 2.0}],
                    "meta": {"origin": "192.168.0.1", "grace": "30m"}}}]
        """, StandardCharsets.UTF_8);
    List<JsonNode> requests = new ArrayList<>();
    String stored = "{\"type\":\"Booking\",\"id\":\"stored\"}";
    String sent = "{\"type\":\"Booking\",\"id\":\"sent\",\"start\":\"2024-01-01T10:00:00Z\",\"length\":\"1h\","
        + "\"price\":1.5,\"by\":{\"type\":\"User\",\"id\":\"alice\"},\"at\":\"10.9.9.9\",\"allowed\":[\"10.0.0.3\"],"
        + "\"slots\":[{\"at\":\"2024-01-01T11:00:00+01:00\",\"seats\":2}],"
        + "\"meta\":{\"origin\":\"192.168.0.1\",\"grace\":\"30m\"}}";
    String alice = "{\"id\":\"alice\",\"level\":2.51}";
    String ctx = "{\"src\":\"10.0.0.1\",\"amount\":1000000000000000000.5,\"at\":\"2024-01-01T10:30:00Z\","
        + "\"wait\":\"10m\",\"who\":{\"__entity\":{\"type\":\"User\",\"id\":\"alice\"}},"
        + "\"nets\":[\"192.168.0.1\",\"10.0.0.1\"]}";
    for (String resource : List.of(stored, sent)) {
      for (String action : List.of("read", "approve", "update", "connect", "ping", "renew", "book")) {
        requests.add(req(alice, resource, action, ctx, null));
      }
      for (String src : List.of("10.0.0.2", "10.0.0.3", "::1", "6.6.6.6", "0:0:0:0:0:0:0:1")) {
        requests.add(req(alice, resource, "connect", ctx.replace("\"src\":\"10.0.0.1\"", "\"src\":\"" + src + "\""), null));
      }
      requests.add(req(alice, resource, "approve", ctx.replace("1000000000000000000.5", "1000000000000000000.0"), null));
      requests.add(req(alice, resource, "read", ctx.replace("10:30:00Z", "11:30:00Z").replace("10m", "45m"), null));
    }
    // The stored booking's data completed by a request entity of the same uid.
    requests.add(req(alice, stored, "connect", ctx.replace("10.0.0.1", "10.0.0.7"),
        "[{\"uid\":{\"type\":\"Booking\",\"id\":\"stored\"},\"attrs\":{\"allowed\":[\"10.0.0.7\"]}}]"));
    // Values that are not their declared type: refused at their path by every wire format.
    requests.add(req(alice, stored, "connect", ctx.replace("\"10.0.0.1\"", "\"10.0.0.256\""), null));
    requests.add(req(alice, stored, "read", ctx.replace("\"10m\"", "\"ten minutes\""), null));
    requests.add(req(alice, stored, "read", ctx.replace("\"2024-01-01T10:30:00Z\"", "\"yesterday\""), null));
    requests.add(req(alice, stored, "read", ctx.replace("1000000000000000000.5", "\"1\""), null));
    requests.add(req(alice, stored, "read", ctx.replace("1000000000000000000.5", "1e400"), null));
    requests.add(req("{\"id\":\"alice\",\"level\":\"high\"}", stored, "read", ctx, null));
    requests.add(req(alice, sent.replace("\"1h\"", "\"1 hour\""), "read", ctx, null));
    requests.add(req(alice, sent.replace("{\"type\":\"User\",\"id\":\"alice\"}", "\"alice\""), "read", ctx, null));
    requests.add(req(alice, sent.replace("\"allowed\":[\"10.0.0.3\"]", "\"allowed\":[\"10.0.0.3\",\"nope\"]"),
        "read", ctx, null));
    requests.add(req(alice, stored, "read", ctx, "[{\"uid\":{\"type\":\"Booking\",\"id\":\"x\"},"
        + "\"attrs\":{\"meta\":{\"origin\":\"10.0.0.1\",\"grace\":12}}}]"));
    return new Group("typed values of every declared type", dir, requests);
  }

  private static JsonNode req(String principal, String resource, String action, String context, String entities)
      throws IOException {
    return DecisionPaths.JSON.readTree("{\"principal\":" + principal + ",\"resource\":" + resource + ",\"action\":\""
        + action + "\",\"context\":" + context + (entities == null ? "" : ",\"entities\":" + entities) + "}");
  }
}

package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantics cases as data: every {@code *.json} under {@code src/test/resources/cases/} holds
 * one case, a list of cases, or a suite ({@code {"policies": …, "cases": [...]}}) whose cases
 * share its policies. The format is described in {@code cases/README.md}. Each case loads its
 * policy set from a temporary directory, decides its request with and without a trace, and
 * checks the decision, its reasons, its errors and its masks.
 */
class SemanticsCasesTest {
  static final Path ROOT = Path.of("src/test/resources/cases");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CASE_KEYS = Set.of("name", "policies", "files", "request", "expect", "note");
  private static final Set<String> SUITE_KEYS = Set.of("policies", "files", "cases", "note");
  private static final Set<String> EXPECT_KEYS = Set.of("decision", "reasons", "errors", "readMask", "writeDenied", "rate",
      "invalid");

  @TempDir
  static Path work;

  /** One case, with where it came from for failure messages. */
  record Case(String file, String name, JsonNode body) {
    String label() {
      return file + " › " + name;
    }
  }

  @TestFactory
  Stream<DynamicTest> cases() throws IOException {
    List<Case> all = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(ROOT)) {
      files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      String rel = ROOT.relativize(f).toString().replace('\\', '/');
      all.addAll(read(rel, JSON.readTree(f.toFile())));
    }
    assertThat(all).as("semantics cases").hasSizeGreaterThanOrEqualTo(150);
    assertThat(all.stream().map(Case::label).distinct().count()).as("case names are unique per file")
        .isEqualTo(all.size());
    int[] n = {0};
    return all.stream().map(c -> DynamicTest.dynamicTest(c.label(), () -> run(c, work.resolve("case-" + n[0]++))));
  }

  static List<Case> read(String file, JsonNode root) {
    List<Case> out = new ArrayList<>();
    if (root.isArray()) {
      for (JsonNode c : root) {
        out.add(single(file, c, null));
      }
    } else if (root.has("cases")) {
      unknownKeys(file, root, SUITE_KEYS);
      for (JsonNode c : root.get("cases")) {
        out.add(single(file, c, root));
      }
    } else {
      out.add(single(file, root, null));
    }
    return out;
  }

  private static Case single(String file, JsonNode c, JsonNode suite) {
    if (!c.isObject() || !c.hasNonNull("name")) {
      throw new IllegalArgumentException(file + ": every case is an object with a `name`: " + c);
    }
    ObjectNode body = ((ObjectNode) c).deepCopy();
    if (suite != null && !body.has("policies") && !body.has("files")) {
      for (String k : List.of("policies", "files")) {
        if (suite.has(k)) {
          body.set(k, suite.get(k));
        }
      }
    }
    unknownKeys(file + " › " + c.get("name").asText(), body, CASE_KEYS);
    return new Case(file, c.get("name").asText(), body);
  }

  private static void unknownKeys(String where, JsonNode node, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(where + ": unknown key `" + k + "` (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  /** {@code "policies"} as one string or as an array of lines joined by newlines. */
  static String text(JsonNode n) {
    if (n.isArray()) {
      List<String> lines = new ArrayList<>();
      n.forEach(l -> lines.add(l.asText()));
      return String.join("\n", lines) + "\n";
    }
    return n.asText();
  }

  static PolicySet load(Case c, Path dir) throws IOException {
    Files.createDirectories(dir);
    JsonNode body = c.body();
    if (body.has("policies")) {
      Files.writeString(dir.resolve("policy.verdict"), text(body.get("policies")), StandardCharsets.UTF_8);
    }
    if (body.has("files")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = body.get("files").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String content = f.getKey().endsWith(".json") ? JSON.writeValueAsString(f.getValue()) : text(f.getValue());
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
      }
    }
    LoadResult loaded = Verdict.load(dir);
    assertThat(loaded.ok()).as("%s: the policy set loads; diagnostics: %s", c.label(), loaded.diagnostics()).isTrue();
    return loaded.policySet().orElseThrow();
  }

  static void run(Case c, Path dir) throws Exception {
    PolicySet set = load(c, dir);
    JsonNode body = c.body();
    JsonNode expect0 = body.get("expect");
    Request request;
    try {
      // what the engine does before deciding: the request against its action's declared shape
      request = set.types().forAction(RequestJson.parse(body.get("request"), set.types()));
    } catch (Values.JsonValueException e) {
      assertThat(expect0 == null ? null : expect0.path("invalid").asText(null))
          .as("%s: the request is refused at %s: %s", c.label(), e.path(), e.getMessage()).isEqualTo(e.path());
      return;
    }
    assertThat(expect0 == null || !expect0.has("invalid")).as("%s: the request is refused", c.label()).isTrue();
    Decision plain = Authorizer.decide(set, request, false);
    Decision explained = Authorizer.decide(set, request, true);
    JsonNode expect = body.get("expect");
    assertThat(expect).as("%s: has `expect`", c.label()).isNotNull();
    unknownKeys(c.label() + " expect", expect, EXPECT_KEYS);
    check(c, "", plain, expect);
    check(c, " (explain)", explained, expect);
    assertThat(explained.trace()).as("%s: explain gives a trace", c.label()).isPresent();
  }

  private static void check(Case c, String mode, Decision d, JsonNode expect) {
    String at = c.label() + mode;
    String summary = describe(d);
    assertThat(d.outcome().word()).as("%s: decision; got %s", at, summary).isEqualTo(expect.get("decision").asText());
    List<String> reasons = new ArrayList<>();
    if (expect.has("reasons")) {
      expect.get("reasons").forEach(r -> reasons.add(r.asText()));
    }
    assertThat(d.reasons()).as("%s: reasons, in source order; got %s", at, summary).containsExactlyElementsOf(reasons);
    checkErrors(at, summary, d, expect.get("errors"));
    Map<String, String> read = new TreeMap<>();
    if (expect.has("readMask")) {
      expect.get("readMask").fields().forEachRemaining(e -> read.put(e.getKey(), e.getValue().asText()));
    }
    Map<String, String> actualRead = new TreeMap<>();
    d.readMask().forEach((k, v) -> actualRead.put(k, v.text()));
    assertThat(actualRead).as("%s: read mask; got %s", at, summary).isEqualTo(read);
    Set<String> write = new TreeSet<>();
    if (expect.has("writeDenied")) {
      expect.get("writeDenied").forEach(w -> write.add(w.asText()));
    }
    assertThat(new TreeSet<>(d.writeDenied())).as("%s: write-denied fields; got %s", at, summary).isEqualTo(write);
    checkRate(at, summary, d, expect.get("rate"));
  }

  /** {@code errors}: absent means none; a number is the count; a list holds one substring per error. */
  private static void checkErrors(String at, String summary, Decision d, JsonNode expected) {
    List<String> messages = d.errors().stream().map(e -> e.ruleId() + ": " + e.message()).toList();
    if (expected == null) {
      assertThat(messages).as("%s: no evaluation errors; got %s", at, summary).isEmpty();
    } else if (expected.isNumber()) {
      assertThat(messages).as("%s: number of errors; got %s", at, summary).hasSize(expected.asInt());
    } else {
      assertThat(messages).as("%s: number of errors; got %s", at, summary).hasSize(expected.size());
      for (JsonNode s : expected) {
        assertThat(messages).as("%s: an error mentions `%s`; got %s", at, s.asText(), summary)
            .anySatisfy(m -> assertThat(m).contains(s.asText()));
      }
    }
  }

  /**
   * {@code rate}: {@code {"allowed": bool, "limit": "name", "remaining": n}}, each key optional;
   * absent means the decision carries no rate outcome.
   */
  private static void checkRate(String at, String summary, Decision d, JsonNode expected) {
    if (expected == null) {
      assertThat(d.rate()).as("%s: no rate outcome; got %s", at, summary).isEmpty();
      return;
    }
    assertThat(d.rate()).as("%s: a rate outcome; got %s", at, summary).isPresent();
    RateDecision r = d.rate().orElseThrow();
    if (expected.has("allowed")) {
      assertThat(r.allowed()).as("%s: rate allowed; got %s", at, r).isEqualTo(expected.get("allowed").asBoolean());
    }
    if (expected.has("limit")) {
      assertThat(r.limit()).as("%s: rate limit; got %s", at, r).isEqualTo(expected.get("limit").asText());
    }
    if (expected.has("remaining")) {
      assertThat(r.remaining()).as("%s: rate remaining; got %s", at, r).isEqualTo(expected.get("remaining").asLong());
    }
  }

  static String describe(Decision d) {
    Map<String, String> read = new TreeMap<>();
    d.readMask().forEach((k, v) -> read.put(k, v.text()));
    return d.outcome().word() + " reasons=" + d.reasons() + " errors=" + d.errors() + " readMask=" + read
        + " writeDenied=" + new TreeSet<>(d.writeDenied());
  }

}

package dev.verdict.server.http.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.JsonCodec;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming reader of {@code /v1/decisions} bodies ({@link DecisionsReader}) against the
 * tree reading it stands in front of ({@link DecisionsHandler#fromTree}): for thousands of
 * bodies (valid and invalid, members in every order, attributes before and after the type,
 * duplicates, wrong JSON types, values that do not fit their declared types, every bound) it
 * either reads exactly what the tree reads (numbers to their scale, Ips, Times, sets, records,
 * parents) or gives up, and it gives up on every body the tree refuses, so the tree reports
 * every error as before. The declarations and the comparison are the AuthZEN reader's test's.
 */
class DecisionsReaderDifferentialTest {
  @TempDir
  static Path dir;
  static ValueTypes types;
  static final DecisionsHandler.Limits LIMITS = new DecisionsHandler.Limits(4, 3, 8, 30);

  @BeforeAll
  static void load() throws Exception {
    Files.writeString(dir.resolve("p.verdict"), AuthZenReaderDifferentialTest.SET, StandardCharsets.UTF_8);
    LoadResult r = Verdict.load(dir);
    assertThat(r.ok()).as("loads: %s", r.diagnostics()).isTrue();
    types = r.policySet().orElseThrow().types();
  }

  static final List<String> PRINCIPALS = List.of(
      "{\"id\":\"alice\"}",
      "{\"type\":\"User\",\"id\":\"alice\",\"dept\":\"eng\",\"since\":\"2024-01-01T09:30:00Z\",\"ip\":\"10.0.0.1\","
          + "\"level\":3,\"tags\":[\"a\",\"b\",\"a\"]}",
      // attributes before the type: typed once the type is known
      "{\"dept\":\"x\",\"level\":1.50,\"id\":\"bob\",\"ip\":\"::1\",\"type\":\"User\","
          + "\"since\":\"2024-01-01T09:30:00.123+02:00\",\"boss\":{\"type\":\"User\",\"id\":\"carol\"},"
          + "\"home\":{\"city\":\"Leeds\",\"at\":\"2020-02-02T00:00:00Z\"},\"extra\":[1,[2,3],true,{\"k\":\"v\"}],"
          + "\"nil\":null,\"parents\":[{\"type\":\"Group\",\"id\":\"g1\"}]}",
      // no type: a User, typed as one
      "{\"since\":\"2024-01-01T00:00:00Z\",\"id\":\"carol\",\"ip\":\"10.9.9.9\"}",
      "{\"type\":\"Service\",\"id\":\"svc\",\"n\":123456789012345678901234567890,\"neg\":-7,\"z\":0,\"e\":1e3,"
          + "\"f\":-0.0,\"s\":\"\",\"u\":\"\\u00e9\\n\",\"b\":false,\"empty\":[],\"o\":{}}",
      "{\"type\":\"User\",\"id\":\"\",\"parents\":null,\"unknown\":{\"deep\":[1,2]}}",
      "{\"type\":\"User\",\"id\":\"a\",\"parents\":[]}",
      "{\"type\":\"User\",\"id\":\"a\",\"ref\":{\"__entity\":{\"type\":\"Group\",\"id\":\"g\"}}}");
  static final List<String> BAD_PRINCIPALS = List.of(
      "null", "\"alice\"", "[]", "5", "{}",
      "{\"type\":\"\",\"id\":\"a\"}", "{\"type\":\"User\"}", "{\"type\":\"User\",\"id\":5}",
      "{\"type\":null,\"id\":\"a\"}", "{\"type\":[\"User\"],\"id\":\"a\"}", "{\"id\":null}",
      "{\"type\":\"User\",\"id\":\"a\",\"since\":\"yesterday\"}", "{\"id\":\"a\",\"ip\":\"999.1.1.1\"}",
      "{\"level\":\"3\",\"id\":\"a\"}", "{\"type\":\"User\",\"id\":\"a\",\"tags\":\"a\"}",
      "{\"tags\":[1],\"type\":\"User\",\"id\":\"a\"}", "{\"id\":\"a\",\"boss\":{\"type\":\"Group\",\"id\":\"g\"}}",
      "{\"id\":\"a\",\"home\":{\"city\":\"L\",\"at\":5}}", "{\"id\":\"a\",\"x\":[null]}", "{\"id\":\"a\",\"x\":1e400}",
      "{\"id\":\"a\",\"parents\":5}", "{\"id\":\"a\",\"parents\":[{\"type\":\"G\"}]}", "{\"id\":\"a\",\"x\":{\"__entity\":5}}");
  static final List<String> RESOURCES = List.of(
      "{\"type\":\"Account\",\"id\":\"a1\",\"owner\":\"alice\"}",
      "{\"balance\":-12.000,\"owner\":\"bob\",\"opened\":\"2024-05-01T00:00:00Z\",\"id\":\"a2\",\"type\":\"Account\"}",
      "{\"type\":\"Doc\",\"id\":\"d1\"}",
      "{\"type\":\"Doc\",\"id\":\"d1\",\"parents\":null,\"size\":10}");
  static final List<String> BAD_RESOURCES = List.of(
      "{\"id\":\"a1\",\"owner\":\"x\"}", "{\"type\":\"Account\",\"id\":\"a1\",\"owner\":7}",
      "{\"type\":\"Account\",\"id\":\"a1\",\"opened\":\"2024-13-01T00:00:00Z\"}", "{\"type\":\"Account\"}", "true", "null");
  static final List<String> ACTIONS = List.of("[\"read\"]", "[\"read\",\"transfer\",\"read\"]", "[\"transfer\"]",
      "[\"\\u0072ead\",\"other\"]");
  static final List<String> BAD_ACTIONS = List.of("[]", "[\"\",\"x\"]", "[5]", "\"read\"", "null", "[null]",
      "[\"a\",\"b\",\"c\",\"d\"]", "{}");
  static final List<String> EXPLAINS = List.of("true", "false", "null");
  static final List<String> BAD_EXPLAINS = List.of("\"yes\"", "1", "[]");

  /** The tree's reading of a body: what it decides, or the error it reports. */
  static Object tree(String body) {
    try {
      ObjectNode o = JsonCodec.parseObject(Buffer.buffer(body));
      return DecisionsHandler.fromTree(o, types, LIMITS);
    } catch (ApiException e) {
      return e;
    }
  }

  /** The streaming reader's, the body read where it lies among other bytes. */
  static DecisionsReader.Read streamed(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return DecisionsReader.read(AuthZenReaderDifferentialTest.padded(b), AuthZenReaderDifferentialTest.PAD.length,
        b.length, types, LIMITS);
  }

  static String canonical(DecisionsReader.Read r) {
    return AuthZenReaderDifferentialTest.canonical(r.principal()) + " "
        + r.resources().stream().map(AuthZenReaderDifferentialTest::canonical).toList() + " " + r.actions() + " "
        + AuthZenReaderDifferentialTest.canonical(r.context()) + " "
        + r.entities().stream().map(AuthZenReaderDifferentialTest::canonical).toList() + " " + r.explain();
  }

  static String array(Random r, List<String> good, List<String> bad, int badPercent, int max) {
    int n = r.nextInt(15) == 0 ? max + 1 : 1 + r.nextInt(max);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(AuthZenReaderDifferentialTest.pick(r, good, bad, badPercent));
    }
    return items.stream().collect(Collectors.joining(",", "[", "]"));
  }

  static List<String[]> bodyMembers(Random r, int bad) {
    List<String[]> m = new ArrayList<>();
    if (r.nextInt(12) > 0) {
      m.add(new String[] {"principal", AuthZenReaderDifferentialTest.pick(r, PRINCIPALS, BAD_PRINCIPALS, bad)});
    }
    if (r.nextInt(12) > 0) {
      m.add(new String[] {"resources", r.nextInt(30) == 0 ? (r.nextBoolean() ? "[]" : "{}")
          : array(r, RESOURCES, BAD_RESOURCES, bad / 3, LIMITS.maxResources())});
    }
    if (r.nextInt(12) > 0) {
      m.add(new String[] {"actions", AuthZenReaderDifferentialTest.pick(r, ACTIONS, BAD_ACTIONS, bad)});
    }
    if (r.nextInt(3) > 0) {
      m.add(new String[] {"context", r.nextInt(8) == 0 ? "null" : AuthZenReaderDifferentialTest.pick(r,
          AuthZenReaderDifferentialTest.CONTEXTS, AuthZenReaderDifferentialTest.BAD_CONTEXTS, bad)});
    }
    if (r.nextInt(3) == 0) {
      m.add(new String[] {"entities", r.nextInt(8) == 0 ? "null" : AuthZenReaderDifferentialTest.pick(r,
          AuthZenReaderDifferentialTest.ENTITIES, AuthZenReaderDifferentialTest.BAD_ENTITIES, bad)});
    }
    if (r.nextInt(3) == 0) {
      m.add(new String[] {"explain", AuthZenReaderDifferentialTest.pick(r, EXPLAINS, BAD_EXPLAINS, bad)});
    }
    if (r.nextInt(3) == 0) {
      List<String> unknown = AuthZenReaderDifferentialTest.UNKNOWN;
      m.add(new String[] {"zz" + r.nextInt(3), unknown.get(r.nextInt(unknown.size()))});
    }
    return m;
  }

  @Test
  void everyBodyIsReadAsTheTreeReadsItOrLeftToTheTree() {
    Random r = new Random(29);
    int streamedCount = 0;
    int refused = 0;
    for (int n = 0; n < 5_000; n++) {
      String body = AuthZenReaderDifferentialTest.object(r, bodyMembers(r, n % 3 == 0 ? 0 : 20));
      if (n % 4 == 0) {
        body = AuthZenReaderDifferentialTest.damaged(r, body);
      }
      Object want = tree(body);
      DecisionsReader.Read got = streamed(body);
      if (want instanceof ApiException e) {
        assertThat(got).as("gives up on %s (the tree refuses it: %s)", body, e.getMessage()).isNull();
        refused++;
      } else if (got != null) {
        assertThat(canonical(got)).as(body).isEqualTo(canonical((DecisionsReader.Read) want));
        assertThat(got).as(body).isEqualTo(want);
        streamedCount++;
      }
    }
    assertThat(refused).isGreaterThan(1_500);
    assertThat(streamedCount).isGreaterThan(1_000);
  }

  @Test
  void everyValidMemberIsStreamedInAnyOrder() {
    Random r = new Random(11);
    for (String principal : PRINCIPALS) {
      for (String resource : RESOURCES) {
        for (String actions : ACTIONS) {
          for (String context : AuthZenReaderDifferentialTest.CONTEXTS) {
            String body = AuthZenReaderDifferentialTest.object(r, List.of(new String[] {"principal", principal},
                new String[] {"resources", "[" + resource + "," + RESOURCES.get(r.nextInt(RESOURCES.size())) + "]"},
                new String[] {"actions", actions}, new String[] {"context", context},
                new String[] {"entities", AuthZenReaderDifferentialTest.ENTITIES.get(r.nextInt(3))},
                new String[] {"explain", EXPLAINS.get(r.nextInt(3))}));
            DecisionsReader.Read got = streamed(body);
            if (principal.contains("__entity")) {
              continue; // a record naming `__entity` is left to the tree, which tells references from records
            }
            assertThat(got).as("streams %s", body).isNotNull();
            assertThat(canonical(got)).as(body).isEqualTo(canonical((DecisionsReader.Read) tree(body)));
          }
        }
      }
    }
  }

  /** Resources, actions and pairs at each bound are read; one past it is left to the tree, which refuses it. */
  @Test
  void theBoundsOnOneCallAreTheTreesOwn() {
    String principal = "\"principal\":{\"id\":\"u\"}";
    String doc = "{\"type\":\"Doc\",\"id\":\"d\"}";
    List<String> read = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    read.add("{" + principal + ",\"resources\":[" + String.join(",", List.of(doc, doc)) + "],\"actions\":[\"a\",\"b\","
        + "\"c\"]}"); // 6 pairs
    read.add("{" + principal + ",\"resources\":[" + String.join(",", List.of(doc, doc, doc, doc)) + "],"
        + "\"actions\":[\"a\",\"b\"]}"); // 4 resources, 8 pairs
    read.add("{" + principal + ",\"resources\":[" + doc + "],\"actions\":[\"a\",\"a\",\"a\"]}");
    refused.add("{" + principal + ",\"resources\":[" + String.join(",", List.of(doc, doc, doc, doc, doc)) + "],"
        + "\"actions\":[\"a\"]}"); // 5 resources
    refused.add("{" + principal + ",\"resources\":[" + doc + "],\"actions\":[\"a\",\"b\",\"c\",\"d\"]}"); // 4 actions
    refused.add("{" + principal + ",\"resources\":[" + String.join(",", List.of(doc, doc, doc)) + "],"
        + "\"actions\":[\"a\",\"b\",\"c\"]}"); // 9 pairs
    for (String body : read) {
      assertThat(tree(body)).as("the tree reads %s", body).isInstanceOf(DecisionsReader.Read.class);
      assertThat(streamed(body)).as("streams %s", body).isEqualTo(tree(body));
    }
    for (String body : refused) {
      assertThat(tree(body)).as("the tree refuses %s", body).isInstanceOf(ApiException.class);
      assertThat(streamed(body)).as("gives up on %s", body).isNull();
    }
  }

  /** A name given twice, in an entity (its type, id, parents, attributes, nulls) or at the top, is refused by both. */
  @Test
  void aMemberNamedTwiceAnywhereIsRefusedAsTheTreeRefusesIt() {
    String rest = "\"resources\":[{\"type\":\"Doc\",\"id\":\"d\"}],\"actions\":[\"read\"]";
    List<String[]> pairs = new ArrayList<>(); // {a principal, the same with a member named twice}
    for (String twice : List.of("\"type\":\"User\",\"id\":\"u\",\"type\":\"User\"", "\"id\":\"u\",\"id\":\"u\"",
        "\"id\":\"u\",\"a\":1,\"a\":1", "\"id\":\"u\",\"a\":null,\"a\":1", "\"id\":\"u\",\"a\":1,\"a\":null",
        "\"id\":\"u\",\"parents\":[],\"parents\":[]", "\"id\":\"u\",\"parents\":null,\"parents\":[]",
        "\"id\":\"u\",\"b\":2,\"parents\":[],\"b\":null")) {
      String once = twice.substring(0, twice.lastIndexOf(",\""));
      pairs.add(new String[] {"{\"principal\":{" + once + "}," + rest + "}", "{\"principal\":{" + twice + "}," + rest + "}"});
    }
    for (String member : List.of("\"principal\":{\"id\":\"v\"}", "\"explain\":false", "\"context\":{}",
        "\"entities\":[]", "\"zz\":1", "\"actions\":[\"x\"]", "\"resources\":[{\"type\":\"Doc\",\"id\":\"e\"}]")) {
      String body = "{\"principal\":{\"id\":\"u\"}," + rest + "}";
      pairs.add(new String[] {body, "{" + member + "," + body.substring(1, body.length() - 1) + "," + member + "}"});
    }
    for (String[] pair : pairs) {
      Object want = tree(pair[0]);
      assertThat(want).as("the tree reads %s", pair[0]).isInstanceOf(DecisionsReader.Read.class);
      assertThat(streamed(pair[0])).as("streams %s", pair[0]).isEqualTo(want);
      assertThat(tree(pair[1])).as("the tree refuses %s", pair[1]).isInstanceOf(ApiException.class);
      assertThat(streamed(pair[1])).as("gives up on %s", pair[1]).isNull();
    }
  }
}

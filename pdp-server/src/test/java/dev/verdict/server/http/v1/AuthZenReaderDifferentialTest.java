package dev.verdict.server.http.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.JsonCodec;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming reader ({@link AuthZenReader}) against the tree reader it stands in front of
 * (issue 17): for thousands of bodies (valid and invalid, members in every order, duplicates,
 * deep nesting, wrong JSON types, values that do not fit their declared types, bounds, batches
 * with defaults and overrides) it either reads exactly the request the tree reads (numbers to
 * their scale, Ips, Times, sets, records, parents) or gives up, and it gives up on every body
 * the tree refuses, so the tree reports every error as before.
 */
class AuthZenReaderDifferentialTest {
  @TempDir
  static Path dir;
  static ValueTypes types;
  static final int MAX_ITEMS = 8;

  static final String SET = """
      entity Group
      entity User in Group {
        dept: String
        since: Time
        ip: Ip
        level: Number
        tags?: Set<String>
        boss?: User
        home?: { city: String, at: Time }
      }
      entity Account {
        owner: String
        opened?: Time
        balance?: Number
      }
      context {
        src?: Ip
        at?: Time
        amount?: Number
        grace?: Duration
      }
      action transfer {
        principal: User
        resource: Account
        context {
          limit: Number
        }
      }
      policy p on Account {
        permit read when resource.owner == principal.id
        permit transfer when context.limit > 5
      }
      """;

  @BeforeAll
  static void load() throws Exception {
    Files.writeString(dir.resolve("p.verdict"), SET, StandardCharsets.UTF_8);
    LoadResult r = Verdict.load(dir);
    assertThat(r.ok()).as("loads: %s", r.diagnostics()).isTrue();
    types = r.policySet().orElseThrow().types();
  }

  // --- members: valid ones, which the stream must read, then ones the tree refuses or treats specially ---

  static final List<String> SUBJECTS = List.of(
      "{\"type\":\"User\",\"id\":\"alice\"}",
      "{\"id\":\"alice\",\"type\":\"User\",\"properties\":{\"dept\":\"eng\",\"since\":\"2024-01-01T09:30:00Z\","
          + "\"ip\":\"10.0.0.1\",\"level\":3,\"tags\":[\"a\",\"b\",\"a\"]}}",
      "{\"type\":\"User\",\"id\":\"bob\",\"properties\":{\"level\":1.50,\"dept\":\"x\",\"ip\":\"::1\","
          + "\"since\":\"2024-01-01T09:30:00.123+02:00\",\"boss\":{\"type\":\"User\",\"id\":\"carol\"},"
          + "\"home\":{\"city\":\"Leeds\",\"at\":\"2020-02-02T00:00:00Z\"},\"extra\":[1,[2,3],true,{\"k\":\"v\"}],"
          + "\"nil\":null,\"parents\":[{\"type\":\"Group\",\"id\":\"g1\"}]}}",
      "{\"type\":\"Service\",\"id\":\"svc\",\"properties\":{\"n\":123456789012345678901234567890,\"neg\":-7,"
          + "\"z\":0,\"e\":1e3,\"f\":-0.0,\"s\":\"\",\"u\":\"\\u00e9\\n\",\"b\":false,\"empty\":[],\"o\":{}}}",
      "{\"type\":\"User\",\"id\":\"\",\"properties\":null,\"unknown\":{\"deep\":[1,2]}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"parents\":[]}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"ref\":{\"__entity\":{\"type\":\"Group\",\"id\":\"g\"}}}}");
  static final List<String> BAD_SUBJECTS = List.of(
      "null", "\"alice\"", "[]", "5", "{}",
      "{\"type\":\"\",\"id\":\"a\"}", "{\"type\":\"User\"}", "{\"id\":\"a\"}", "{\"type\":\"User\",\"id\":5}",
      "{\"type\":null,\"id\":\"a\"}", "{\"type\":[\"User\"],\"id\":\"a\"}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":[]}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":\"x\"}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"type\":\"x\"}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"id\":null}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"since\":\"yesterday\"}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"ip\":\"999.1.1.1\"}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"level\":\"3\"}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"tags\":\"a\"}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"tags\":[1]}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"boss\":{\"type\":\"Group\",\"id\":\"g\"}}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"home\":{\"city\":\"L\",\"at\":5}}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"x\":[null]}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"x\":[\"a\",[null]]}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"x\":{\"y\":[null]}}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"x\":1e400}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"x\":99999999999999999999999999999999999999999}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"parents\":5}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"parents\":[{\"type\":\"G\"}]}}",
      "{\"type\":\"User\",\"id\":\"a\",\"properties\":{\"x\":{\"__entity\":5}}}");
  static final List<String> RESOURCES = List.of(
      "{\"type\":\"Account\",\"id\":\"a1\",\"properties\":{\"owner\":\"alice\"}}",
      "{\"properties\":{\"balance\":-12.000,\"owner\":\"bob\",\"opened\":\"2024-05-01T00:00:00Z\"},\"id\":\"a2\","
          + "\"type\":\"Account\"}",
      "{\"type\":\"Doc\",\"id\":\"d1\"}",
      "{\"type\":\"Doc\",\"id\":\"d1\",\"properties\":{\"parents\":null,\"size\":10}}");
  static final List<String> BAD_RESOURCES = List.of(
      "{\"type\":\"Account\",\"id\":\"a1\",\"properties\":{\"owner\":7}}",
      "{\"type\":\"Account\",\"id\":\"a1\",\"properties\":{\"opened\":\"2024-13-01T00:00:00Z\"}}",
      "{\"type\":\"Account\"}", "true");
  static final List<String> ACTIONS = List.of(
      "{\"name\":\"read\"}", "{\"name\":\"transfer\",\"properties\":{\"method\":\"POST\"}}",
      "{\"properties\":null,\"name\":\"other\"}");
  static final List<String> BAD_ACTIONS = List.of(
      "\"read\"", "{}", "{\"name\":\"\"}", "{\"name\":5}", "{\"name\":null}", "[]");
  static final List<String> CONTEXTS = List.of(
      "{}", "{\"src\":\"10.1.2.3\",\"at\":\"2024-01-01T00:00:00Z\",\"amount\":12.5,\"grace\":\"90s\"}",
      "{\"limit\":10,\"other\":[\"x\",\"y\"],\"skip\":null,\"rec\":{\"a\":{\"b\":[1,2.0]}}}",
      "{\"amount\":1000000000000000000.5,\"limit\":1}");
  static final List<String> BAD_CONTEXTS = List.of(
      "[]", "\"x\"", "{\"src\":\"nope\"}", "{\"amount\":\"12\"}", "{\"grace\":\"forever\"}",
      "{\"__entity\":{\"type\":\"U\",\"id\":\"u\"}}", "{\"x\":[null]}", "{\"at\":17}");
  static final List<String> ENTITIES = List.of(
      "[]", "[{\"uid\":{\"type\":\"Group\",\"id\":\"g1\"},\"attrs\":{},\"parents\":[]}]",
      "[{\"uid\":{\"type\":\"User\",\"id\":\"carol\"},\"attrs\":{\"dept\":\"x\",\"since\":\"2024-01-01T00:00:00Z\","
          + "\"ip\":\"10.0.0.2\",\"level\":2}}]");
  static final List<String> BAD_ENTITIES = List.of(
      "5", "{}", "[5]", "[{\"uid\":{\"type\":\"User\"}}]",
      "[{\"uid\":{\"type\":\"User\",\"id\":\"c\"},\"attrs\":{\"since\":\"never\"}}]");
  static final List<String> UNKNOWN = List.of(
      "{\"a\":[1,{\"b\":null}]}", "\"x\"", "null", "[[[]]]", "12.5e-3");

  /** The tree's reading of an evaluation body: the request, or the error it reports. */
  static Object tree(String body) {
    try {
      ObjectNode o = JsonCodec.parseObject(Buffer.buffer(body));
      return AuthZenCodec.request(types, Part.of(o, "subject", "$"), Part.of(o, "resource", "$"),
          Part.of(o, "action", "$"), Part.of(o, "context", "$"), Part.of(o, "entities", "$"));
    } catch (ApiException e) {
      return e;
    }
  }

  /**
   * The streaming reader's reading of {@code body}, read where it lies among other bytes (as a
   * body is in the buffer it was received into): what it reads again as a tree must be found there.
   */
  static Request streamed(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return AuthZenReader.evaluation(padded(b), PAD.length, b.length, types);
  }

  static final byte[] PAD = "{\"a\":[1,".getBytes(StandardCharsets.UTF_8);

  static byte[] padded(byte[] body) {
    byte[] out = new byte[PAD.length + body.length + PAD.length];
    System.arraycopy(PAD, 0, out, 0, PAD.length);
    System.arraycopy(body, 0, out, PAD.length, body.length);
    System.arraycopy(PAD, 0, out, PAD.length + body.length, PAD.length);
    return out;
  }

  static AuthZenReader.Batch streamedBatch(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return AuthZenReader.evaluations(padded(b), PAD.length, b.length, types, MAX_ITEMS);
  }

  /** Members written in a random order, some left out, unknown ones among them. */
  static String object(Random r, List<String[]> members) {
    List<String[]> shuffled = new ArrayList<>(members);
    Collections.shuffle(shuffled, r);
    return shuffled.stream().map(m -> "\"" + m[0] + "\":" + m[1]).collect(Collectors.joining(",", "{", "}"));
  }

  static String pick(Random r, List<String> good, List<String> bad, int badPercent) {
    return r.nextInt(100) < badPercent ? bad.get(r.nextInt(bad.size())) : good.get(r.nextInt(good.size()));
  }

  static List<String[]> evaluationMembers(Random r, int badPercent, boolean top) {
    List<String[]> m = new ArrayList<>();
    if (r.nextInt(10) > 0) {
      m.add(new String[] {"subject", pick(r, SUBJECTS, BAD_SUBJECTS, badPercent)});
    }
    if (r.nextInt(10) > 0) {
      m.add(new String[] {"resource", pick(r, RESOURCES, BAD_RESOURCES, badPercent)});
    }
    if (r.nextInt(10) > 0) {
      m.add(new String[] {"action", pick(r, ACTIONS, BAD_ACTIONS, badPercent)});
    }
    if (r.nextInt(3) > 0) {
      m.add(new String[] {"context", r.nextInt(8) == 0 ? "null" : pick(r, CONTEXTS, BAD_CONTEXTS, badPercent)});
    }
    if (top && r.nextInt(3) == 0) {
      m.add(new String[] {"entities", r.nextInt(8) == 0 ? "null" : pick(r, ENTITIES, BAD_ENTITIES, badPercent)});
    }
    if (r.nextInt(3) == 0) {
      m.add(new String[] {"zz" + r.nextInt(3), UNKNOWN.get(r.nextInt(UNKNOWN.size()))});
    }
    return m;
  }

  /** Damage that only the JSON layer sees: duplicates, nesting, bounds, trailing text, truncation. */
  static String damaged(Random r, String body) {
    switch (r.nextInt(14)) {
      case 0:
        return body.replaceFirst("\"id\":", "\"id\":\"dup\",\"id\":");
      case 1:
        return body.substring(0, body.length() - 1) + ",\"subject\":{}}";
      case 2:
        return body + " {}";
      case 3:
        return body.substring(0, r.nextInt(body.length()));
      case 4:
        return body.substring(0, body.length() - 1) + ",\"zz\":" + "[".repeat(40) + "]".repeat(40) + "}";
      case 5:
        return body.replaceFirst("\"owner\":\"[a-z]*\"", "\"owner\":\"" + "x".repeat(JsonCodec.MAX_STRING_LENGTH + 1)
            + "\"");
      case 6:
        return body.replaceFirst("\\{", "{\"" + "n".repeat(JsonCodec.MAX_NAME_LENGTH + 1) + "\":1,");
      case 7:
        return body.replaceFirst(":\"", ":'");
      case 8:
        // nested as deep as the bound allows, or one deeper (the body is depth 1)
        int depth = 30 + r.nextInt(3);
        return body.substring(0, body.length() - 1) + ",\"zz\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
      case 9:
        // a duplicate in an object no reader walks member by member: an unknown member's, a record's
        return body.substring(0, body.length() - 1) + ",\"zz\":[{\"a\":1,\"b\":2,\"a\":3}]}";
      case 10:
        return body.replaceFirst("\"k\":\"v\"", "\"k\":\"v\",\"k\":\"w\"")
            .replaceFirst("\"city\":\"Leeds\"", "\"city\":\"Leeds\",\"city\":\"York\"")
            .replaceFirst("\"attrs\":\\{", "\"attrs\":{\"q\":1,\"q\":2,");
      case 11:
        // a duplicate among many members (past the few checked one by one)
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 12; i++) {
          many.append("\"m").append(i).append("\":").append(i).append(',');
        }
        return body.replaceFirst("\"properties\":\\{", "\"properties\":{" + many + (r.nextBoolean() ? "\"m3\":0," : ""));
      case 12:
        return body.replaceFirst("\\{", "{\"subject\":null,");
      default:
        return "  \n" + body + "\n ";
    }
  }

  @Test
  void everyEvaluationBodyIsReadAsTheTreeReadsItOrLeftToTheTree() {
    Random r = new Random(17);
    int streamedCount = 0;
    int refused = 0;
    for (int n = 0; n < 4_000; n++) {
      String body = object(r, evaluationMembers(r, n % 3 == 0 ? 0 : 25, true));
      if (n % 4 == 0) {
        body = damaged(r, body);
      }
      Object want = tree(body);
      Request got = streamed(body);
      if (want instanceof ApiException) {
        assertThat(got).as("gives up on %s (the tree refuses it: %s)", body, ((ApiException) want).getMessage())
            .isNull();
        refused++;
      } else if (got != null) {
        assertThat(canonical(got)).as(body).isEqualTo(canonical((Request) want));
        assertThat(got).as(body).isEqualTo(want);
        streamedCount++;
      }
    }
    assertThat(refused).isGreaterThan(1_000);
    assertThat(streamedCount).isGreaterThan(1_000);
  }

  @Test
  void everyValidMemberIsStreamedInAnyOrder() {
    Random r = new Random(3);
    for (String subject : SUBJECTS) {
      for (String resource : RESOURCES) {
        for (String action : ACTIONS) {
          for (String context : CONTEXTS) {
            List<String[]> m = new ArrayList<>(List.of(new String[] {"subject", subject},
                new String[] {"resource", resource}, new String[] {"action", action},
                new String[] {"context", context}, new String[] {"entities", ENTITIES.get(r.nextInt(3))}));
            String body = object(r, m);
            boolean special = subject.contains("__entity");
            Request got = streamed(body);
            if (special) {
              continue; // a record naming `__entity` is left to the tree, which tells references from records
            }
            assertThat(got).as("streams %s", body).isNotNull();
            assertThat(canonical(got)).as(body).isEqualTo(canonical((Request) tree(body)));
          }
        }
      }
    }
  }

  @Test
  void anEmptyOrNonObjectBodyIsLeftToTheTree() {
    for (String body : List.of("", " ", "[]", "null", "5", "\"x\"", "{", "{}x", "{} {}")) {
      assertThat(tree(body)).as(body).isInstanceOf(ApiException.class);
      assertThat(streamed(body)).as(body).isNull();
    }
  }

  /** {@code n} members {@code "<prefix>0": 0, …}, each followed by a comma. */
  static String members(String prefix, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append('"').append(prefix).append(i).append("\":").append(i).append(',');
    }
    return b.toString();
  }

  /**
   * The shapes the reader collects without a tree, at the sizes where it changes how: objects
   * of up to 8 members and past them (names checked one by one, then in a set, with objects
   * opened inside a large one), maps of up to 8 attributes and past them, integers at the ends
   * of a long and past them, sets in sets. Each is read exactly as the tree reads it, or refused
   * by both.
   */
  @Test
  void objectsMapsSetsAndIntegersOfEverySizeAreReadAsTheTreeReadsThem() {
    String subject = "\"subject\":{\"type\":\"User\",\"id\":\"u\"}";
    String resource = "\"resource\":{\"type\":\"Doc\",\"id\":\"d\"}";
    String action = "\"action\":{\"name\":\"read\"}";
    List<String> valid = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (int n = 0; n <= 20; n++) {
      String props = members("p", n);
      String attrs = "{" + props.substring(0, Math.max(0, props.length() - 1)) + "}";
      valid.add("{" + subject + "," + action + ",\"resource\":{\"type\":\"Doc\",\"id\":\"d\",\"properties\":"
          + attrs + "}}");
      valid.add("{" + subject + "," + resource + "," + action + ",\"context\":" + attrs + "}");
      // many members around the ones read: the objects read are opened inside a large one
      valid.add("{" + members("zz", n) + subject + "," + members("zy", n) + resource + "," + action + "}");
      valid.add("{" + subject + "," + action + ",\"resource\":{" + members("zz", n) + "\"type\":\"Doc\","
          + "\"properties\":{" + members("zz", n) + "\"q\":[1,[2,[3]],\"a\",\"a\"]},\"id\":\"d\"}}");
      for (int dup : new int[] {0, n / 2, n - 1}) {
        if (n == 0) {
          continue;
        }
        refused.add("{" + members("zz", n) + subject + "," + resource + "," + action + ",\"zz" + dup + "\":1}");
        refused.add("{" + subject + "," + action + ",\"resource\":{\"type\":\"Doc\",\"id\":\"d\","
            + "\"properties\":{" + props + "\"p" + dup + "\":true}}}");
        refused.add("{" + subject + "," + resource + "," + action + ",\"context\":{" + props + "\"p" + dup + "\":\"x\"}}");
        refused.add("{" + subject + "," + action + ",\"resource\":{" + members("zz", n)
            + "\"properties\":{\"zz" + dup + "\":1},\"type\":\"Doc\",\"id\":\"d\",\"zz" + dup + "\":2}}");
      }
    }
    for (String number : List.of("0", "-0", "7", "-7", "10", "11", "5000", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "-9223372036854775809", "1" + "0".repeat(39), "9".repeat(40), "-" + "9".repeat(40))) {
      valid.add("{" + subject + "," + resource + "," + action + ",\"context\":{\"n\":" + number + ",\"s\":[" + number
          + "]}}");
    }
    for (String number : List.of("1" + "0".repeat(40), "9".repeat(41), "-" + "9".repeat(41), "01", "-", "1.", "+1")) {
      refused.add("{" + subject + "," + resource + "," + action + ",\"context\":{\"n\":" + number + "}}");
    }
    for (String body : valid) {
      Object want = tree(body);
      assertThat(want).as("the tree reads %s", body).isInstanceOf(Request.class);
      Request got = streamed(body);
      assertThat(got).as("streams %s", body).isNotNull();
      assertThat(canonical(got)).as(body).isEqualTo(canonical((Request) want));
      assertThat(got).as(body).isEqualTo(want);
    }
    for (String body : refused) {
      assertThat(tree(body)).as("the tree refuses %s", body).isInstanceOf(ApiException.class);
      assertThat(streamed(body)).as("gives up on %s", body).isNull();
    }
  }

  /**
   * Members named twice where the reader does not keep names: a map's members without a value
   * of their own (written null, or {@code parents}) against each other and against the others,
   * every known member of an evaluation, a subject or resource, an action and the options
   * (noted by a bit each), and unknown members at every level, including objects whose first
   * unknown member comes after an object read inside them had its own. Each is refused by both
   * readers; the same bodies without the second name are read alike.
   */
  @Test
  void aMemberNamedTwiceAnywhereIsRefusedAsTheTreeRefusesIt() {
    String subject = "\"subject\":{\"type\":\"User\",\"id\":\"u\"}";
    String resource = "\"resource\":{\"type\":\"Doc\",\"id\":\"d\"}";
    String action = "\"action\":{\"name\":\"read\"}";
    String all = subject + "," + resource + "," + action;
    List<String[]> pairs = new ArrayList<>(); // {valid, the same with a member named twice}
    for (String map : List.of("\"a\":null,\"a\":1", "\"a\":1,\"a\":null", "\"a\":null,\"b\":2,\"a\":null",
        "\"b\":[],\"a\":null,\"c\":true,\"a\":\"x\"", "\"parents\":[],\"parents\":[]", "\"parents\":null,\"parents\":[]",
        "\"x\":1,\"parents\":[{\"type\":\"G\",\"id\":\"g\"}],\"parents\":null", "\"parents\":null,\"a\":1,\"a\":2")) {
      String once = map.substring(0, map.lastIndexOf(",\""));
      pairs.add(new String[] {
          "{" + subject + "," + action + ",\"resource\":{\"type\":\"Doc\",\"id\":\"d\",\"properties\":{" + once + "}}}",
          "{" + subject + "," + action + ",\"resource\":{\"type\":\"Doc\",\"id\":\"d\",\"properties\":{" + map + "}}}"});
      if (!map.contains("parents")) {
        pairs.add(new String[] {"{" + all + ",\"context\":{" + once + "}}", "{" + all + ",\"context\":{" + map + "}}"});
      }
    }
    for (String member : List.of(subject, resource, action, "\"context\":{}", "\"context\":null", "\"entities\":[]",
        "\"zz\":1", "\"subject\":null")) {
      pairs.add(new String[] {"{" + all + "}", "{" + member + "," + all + "," + member.replace("{}", "{\"q\":1}") + "}"});
    }
    for (String member : List.of("\"type\":\"Doc\"", "\"id\":\"d\"", "\"properties\":{}", "\"properties\":null",
        "\"zz\":[1]", "\"zz\":{\"k\":1}")) {
      pairs.add(new String[] {"{" + subject + "," + action + ",\"resource\":{\"type\":\"Doc\",\"id\":\"d\"}}",
          "{" + subject + "," + action + ",\"resource\":{" + member + ",\"type\":\"Doc\",\"id\":\"d\"," + member + "}}"});
    }
    for (String member : List.of("\"name\":\"read\"", "\"properties\":{}", "\"zz\":null")) {
      pairs.add(new String[] {"{" + subject + "," + resource + ",\"action\":{\"name\":\"read\"}}",
          "{" + subject + "," + resource + ",\"action\":{" + member + ",\"name\":\"read\"," + member + "}}"});
    }
    // unknown members of the body before and after objects that have unknown members of their own
    pairs.add(new String[] {
        "{\"zz\":1,\"subject\":{\"zz\":1,\"type\":\"User\",\"zy\":2,\"id\":\"u\"},\"zy\":2," + resource + "," + action + "}",
        "{\"zz\":1,\"subject\":{\"zz\":1,\"type\":\"User\",\"zy\":2,\"id\":\"u\"},\"zy\":2," + resource + "," + action
            + ",\"zz\":3}"});
    pairs.add(new String[] {
        "{\"subject\":{\"zz\":1,\"type\":\"User\",\"id\":\"u\"},\"zy\":2," + resource + "," + action + "}",
        "{\"subject\":{\"zz\":1,\"type\":\"User\",\"id\":\"u\",\"zz\":1},\"zy\":2," + resource + "," + action + "}"});
    pairs.add(new String[] {
        "{\"subject\":{\"zz\":1,\"type\":\"User\",\"id\":\"u\"},\"zz\":2," + resource + "," + action + "}",
        "{\"subject\":{\"zz\":1,\"type\":\"User\",\"id\":\"u\"},\"zz\":2," + resource + "," + action + ",\"zz\":1}"});
    for (String[] pair : pairs) {
      Object want = tree(pair[0]);
      assertThat(want).as("the tree reads %s", pair[0]).isInstanceOf(Request.class);
      assertThat(streamed(pair[0])).as("streams %s", pair[0]).isEqualTo(want);
      assertThat(tree(pair[1])).as("the tree refuses %s", pair[1]).isInstanceOf(ApiException.class);
      assertThat(streamed(pair[1])).as("gives up on %s", pair[1]).isNull();
    }
    String options = "{\"evaluations\":[{" + all + "}],\"options\":{\"evaluations_semantic\":\"execute_all\"%s}}";
    for (String second : List.of(",\"evaluations_semantic\":\"execute_all\"", ",\"x\":1,\"x\":2",
        ",\"evaluations_semantic\":null")) {
      String body = String.format(options, second);
      assertThat(treeBatch(body)).as("the tree refuses %s", body).isInstanceOf(ApiException.class);
      assertThat(streamedBatch(body)).as("gives up on %s", body).isNull();
    }
    for (String member : List.of("\"evaluations\":[]", "\"options\":{}", "\"entities\":[]")) {
      String body = "{" + member + ",\"evaluations\":[{" + all + "}]," + member + "}";
      assertThat(treeBatch(body)).as("the tree refuses %s", body).isInstanceOf(ApiException.class);
      assertThat(streamedBatch(body)).as("gives up on %s", body).isNull();
    }
  }

  /**
   * Entity types and action names, which the reader takes from a table of the strings it read
   * last, are the ones written: escaped, not ASCII, long, and many of them (more than the table
   * holds, so that its slots are taken over and strings share a slot).
   */
  @Test
  void typesAndActionNamesAreReadAsWrittenHoweverManyComeAndWhateverTheyHold() {
    List<String[]> written = new ArrayList<>(); // {JSON text, the string}
    written.add(new String[] {"\\u0055ser", "User"});
    written.add(new String[] {"Us\\\"er", "Us\"er"});
    written.add(new String[] {"Ümlaut", "Ümlaut"});
    written.add(new String[] {"\\uD83D\\uDE00", "\uD83D\uDE00"});
    written.add(new String[] {"T".repeat(RepeatedText.MAX_LENGTH), "T".repeat(RepeatedText.MAX_LENGTH)});
    written.add(new String[] {"T".repeat(RepeatedText.MAX_LENGTH + 1), "T".repeat(RepeatedText.MAX_LENGTH + 1)});
    // "Aa" and "BB" have the same hash, and so have all strings made of them of one length
    written.add(new String[] {"AaAa", "AaAa"});
    written.add(new String[] {"BBBB", "BBBB"});
    written.add(new String[] {"AaBB", "AaBB"});
    Random r = new Random(5);
    for (int i = 0; i < 3 * RepeatedText.SLOTS; i++) {
      String s = "T" + Integer.toString(r.nextInt(1 << 20), 36);
      written.add(new String[] {s, s});
    }
    for (int round = 0; round < 2; round++) {
      for (String[] w : written) {
        String body = "{\"subject\":{\"type\":\"" + w[0] + "\",\"id\":\"" + w[0] + "\"},\"resource\":{\"id\":\"r\",\"type\":\""
            + w[0] + "\"},\"action\":{\"name\":\"" + w[0] + "\"}}";
        Request got = streamed(body);
        assertThat(got).as(body).isEqualTo(tree(body));
        assertThat(got.principal().uid().type()).isEqualTo(w[1]);
        assertThat(got.resource().uid().type()).isEqualTo(w[1]);
        assertThat(got.action()).isEqualTo(w[1]);
      }
    }
  }

  // --- batches ---

  /** The tree's reading of a batch: per item its evaluation or error, or the error of the whole body. */
  static Object treeBatch(String body) {
    try {
      ObjectNode o = JsonCodec.parseObject(Buffer.buffer(body));
      JsonNode items = o.get("evaluations");
      if (items == null || items.isNull() || (items.isArray() && items.isEmpty())) {
        Object single = tree(body);
        return single instanceof Request req ? List.of(Evaluation.topLevel(req)) : single;
      }
      if (!items.isArray() || items.size() > MAX_ITEMS) {
        return new IllegalStateException("refused as a whole");
      }
      AuthZenHandlers.Semantic semantic = AuthZenHandlers.semantic(o.get("options"));
      AuthZenHandlers.Items read = new AuthZenHandlers.TreeItems(types, o, items);
      List<Object> out = new ArrayList<>();
      out.add(semantic);
      for (int i = 0; i < read.size(); i++) {
        try {
          out.add(read.get(i));
        } catch (ApiException e) {
          out.add(e);
        }
      }
      return out;
    } catch (ApiException e) {
      return e;
    }
  }

  @Test
  void everyBatchIsReadAsTheTreeReadsItOrLeftToTheTree() {
    Random r = new Random(1717);
    int streamedCount = 0;
    int refused = 0;
    List<String> options = List.of("{\"evaluations_semantic\":\"execute_all\"}",
        "{\"evaluations_semantic\":\"deny_on_first_deny\",\"x\":1}", "{\"evaluations_semantic\":\"permit_on_first_permit\"}",
        "{\"evaluations_semantic\":null}", "null", "{}");
    List<String> badOptions = List.of("{\"evaluations_semantic\":\"all\"}", "[]", "{\"evaluations_semantic\":1}");
    for (int n = 0; n < 4_000; n++) {
      int bad = n % 3 == 0 ? 0 : 8;
      List<String[]> top = evaluationMembers(r, bad, true);
      int count = r.nextInt(12) == 0 ? MAX_ITEMS + 1 : r.nextInt(5);
      List<String> items = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        items.add(r.nextInt(40) == 0 ? "5" : object(r, evaluationMembers(r, bad, false)));
      }
      if (r.nextInt(10) > 0) {
        top.add(new String[] {"evaluations", r.nextInt(40) == 0 ? "{}" : "[" + String.join(",", items) + "]"});
      }
      if (r.nextInt(2) == 0) {
        top.add(new String[] {"options", pick(r, options, badOptions, bad)});
      }
      String body = object(r, top);
      if (n % 5 == 0) {
        body = damaged(r, body);
      }
      Object want = treeBatch(body);
      AuthZenReader.Batch got = streamedBatch(body);
      boolean treeRefusesSomething = !(want instanceof List<?> l) || l.stream().anyMatch(x -> x instanceof ApiException);
      if (treeRefusesSomething) {
        assertThat(got).as("gives up on %s", body).isNull();
        refused++;
      } else if (got != null) {
        List<?> expected = (List<?>) want;
        if (got.single() != null) {
          assertThat(expected).hasSize(1);
          assertThat(canonical(got.single())).as(body).isEqualTo(canonical((Evaluation) expected.get(0)));
        } else {
          assertThat(got.semantic()).as(body).isEqualTo(expected.get(0));
          assertThat(got.items()).as(body).hasSize(expected.size() - 1);
          for (int i = 0; i < got.items().size(); i++) {
            assertThat(canonical(got.items().get(i))).as(body).isEqualTo(canonical((Evaluation) expected.get(i + 1)));
            assertThat(got.items().get(i)).as(body).isEqualTo(expected.get(i + 1));
          }
        }
        streamedCount++;
      }
    }
    assertThat(refused).isGreaterThan(500);
    assertThat(streamedCount).isGreaterThan(500);
  }

  @Test
  void anItemTakesTheDefaultsItDoesNotOverrideWithTheirPaths() {
    String body = "{\"evaluations\":[{\"action\":{\"name\":\"read\"}},{\"subject\":{\"type\":\"User\",\"id\":\"b\"},"
        + "\"context\":{\"limit\":7},\"action\":{\"name\":\"transfer\"}}],\"subject\":{\"type\":\"User\",\"id\":\"a\"},"
        + "\"resource\":{\"type\":\"Account\",\"id\":\"x\",\"properties\":{\"owner\":\"a\"}},\"context\":{\"limit\":1}}";
    AuthZenReader.Batch got = streamedBatch(body);
    assertThat(got.items()).extracting(e -> e.request().principal().uid().id()).containsExactly("a", "b");
    assertThat(got.items()).extracting(Evaluation::subjectPath).containsExactly("$.subject", "$.evaluations[1].subject");
    assertThat(got.items()).extracting(Evaluation::contextPath).containsExactly("$.context", "$.evaluations[1].context");
    assertThat(got.items()).extracting(Evaluation::resourcePath).containsOnly("$.resource");
    assertThat(got.items().get(1).request().context().get("limit")).isEqualTo(Value.Num.of(7));
  }

  // --- a comparison stricter than equals: numbers keep their scale, maps and sets in one order ---

  static String canonical(Evaluation e) {
    return canonical(e.request()) + " @" + e.subjectPath() + " " + e.resourcePath() + " " + e.contextPath();
  }

  static String canonical(Request r) {
    return canonical(r.principal()) + " " + canonical(r.resource()) + " " + r.action() + " " + canonical(r.context())
        + " " + r.entities().stream().map(AuthZenReaderDifferentialTest::canonical).toList();
  }

  static String canonical(EntityData e) {
    return e.uid() + canonical(e.attrs()) + e.parents() + e.parentsGiven();
  }

  static String canonical(Map<String, Value> m) {
    Map<String, String> sorted = new TreeMap<>();
    m.forEach((k, v) -> sorted.put(k, canonical(v)));
    return sorted.toString();
  }

  static String canonical(Value v) {
    if (v instanceof Value.Num n) {
      return "Num(" + n.value() + ")"; // the scale too: 1.50 is not written 1.5
    } else if (v instanceof Value.Ip ip) {
      return "Ip" + Arrays.toString(ip.address());
    } else if (v instanceof Value.SetOf s) {
      return "Set" + s.items().stream().map(AuthZenReaderDifferentialTest::canonical).sorted().toList();
    } else if (v instanceof Value.Rec rec) {
      return "Rec" + canonical(rec.fields());
    }
    return v.toString();
  }
}

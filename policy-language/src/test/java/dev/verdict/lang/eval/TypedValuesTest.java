package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.testing.TestReport;
import dev.verdict.lang.testing.TestResult;
import dev.verdict.lang.testing.TestRunner;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values whose type the set declares arrive as that type from request JSON, entity data and
 * test blocks alike (issue 9 items 1–3, issue 8 item 1).
 */
class TypedValuesTest {
  @TempDir
  Path dir;

  private PolicySet load(String policy) throws Exception {
    return load(policy, null);
  }

  private PolicySet load(String policy, String data) throws Exception {
    Files.writeString(dir.resolve("p.verdict"), policy, StandardCharsets.UTF_8);
    if (data != null) {
      Files.writeString(dir.resolve("d.entities.json"), data, StandardCharsets.UTF_8);
    }
    LoadResult r = Verdict.load(dir);
    assertThat(r.ok()).as("loads: %s", r.diagnostics()).isTrue();
    return r.policySet().orElseThrow();
  }

  private static Request request(PolicySet set, String json) throws Exception {
    return RequestJson.parse(RequestJson.readTree(json.getBytes(StandardCharsets.UTF_8)), set.types());
  }

  private static String decide(PolicySet set, String json) throws Exception {
    Decision d = Authorizer.decide(set, request(set, json), false);
    return d.outcome().word() + (d.errors().isEmpty() ? "" : " " + d.errors());
  }

  private static final String TYPED_USER = """
      entity User { since: Time, ip: Ip, name: String }
      entity Doc
      context { at?: Time }
      policy p on Doc { permit read when principal.name == "a" }
      """;

  @Test
  void attributesAlreadyOfTheirDeclaredTypesAreKeptNotCopied() throws Exception {
    // a reader that typed its values as it read them (the AuthZEN reader) pays for no second map
    PolicySet set = load(TYPED_USER);
    java.util.Map<String, Value> typed = java.util.Map.of("since", new Value.Time(5), "name", new Value.Str("a"),
        "other", new Value.Str("x"));
    assertThat(set.types().attributes("User", typed, "$")).isSameAs(typed);
    java.util.Map<String, Value> context = java.util.Map.of("at", new Value.Time(7), "extra", Value.Bool.TRUE);
    assertThat(set.types().context(context, "$")).isSameAs(context);
  }

  @Test
  void aValueThatConvertsMakesANewMapWithTheOthersKept() throws Exception {
    PolicySet set = load(TYPED_USER);
    java.util.Map<String, Value> given = new java.util.LinkedHashMap<>();
    given.put("name", new Value.Str("a"));
    given.put("since", new Value.Str("2024-01-01T00:00:00Z"));
    given.put("other", new Value.Str("x"));
    java.util.Map<String, Value> out = set.types().attributes("User", given, "$");
    assertThat(out).isNotSameAs(given).containsExactly(
        java.util.Map.entry("name", new Value.Str("a")), java.util.Map.entry("since", new Value.Time(1704067200000L)),
        java.util.Map.entry("other", new Value.Str("x")));
    assertThat(given.get("since")).isEqualTo(new Value.Str("2024-01-01T00:00:00Z"));
    // what a reader types one value at a time is what the whole map's conversion gives
    ValueTypes.AttributeTypes declared = set.types().attributesOf("User");
    for (var e : given.entrySet()) {
      assertThat(declared.value(e.getKey(), e.getValue(), "$")).isEqualTo(out.get(e.getKey()));
    }
    assertThat(set.types().attributesOf("Doc")).isNull();
    assertThatThrownBy(() -> declared.value("ip", new Value.Str("999.1.1.1"), "$.properties"))
        .isInstanceOf(Values.JsonValueException.class);
  }

  private static final String IP_SET = """
      context { src: Ip }
      policy net on Doc {
        permit read when context.src == ip("10.0.0.1")
        permit write when context.src != ip("6.6.6.6")
      }
      """;

  @Test
  void declaredIpFromJsonEqualsIpLiteral() throws Exception {
    PolicySet set = load(IP_SET);
    String base = "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},";
    assertThat(decide(set, base + "\"action\":\"read\",\"context\":{\"src\":\"10.0.0.1\"}}")).isEqualTo("allow");
    // `!=` of an Ip and the String it was sent as used to be true: a fail-open.
    assertThat(decide(set, base + "\"action\":\"write\",\"context\":{\"src\":\"6.6.6.6\"}}")).isEqualTo("deny");
    assertThat(decide(set, base + "\"action\":\"write\",\"context\":{\"src\":\"6.6.6.7\"}}")).isEqualTo("allow");
  }

  @Test
  void aStringThatIsNotItsDeclaredTypeIsAnInvalidRequestWithItsPath() throws Exception {
    PolicySet set = load(IP_SET);
    String base = "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},\"action\":\"read\",";
    assertThatThrownBy(() -> request(set, base + "\"context\":{\"src\":\"10.0.0.300\"}}"))
        .isInstanceOfSatisfying(RequestJson.InvalidRequest.class, e -> {
          assertThat(e.path()).isEqualTo("$.context.src");
          assertThat(e.getMessage()).contains("must be an `Ip`").contains("\"10.0.0.300\"");
        });
    assertThatThrownBy(() -> request(set, base + "\"context\":{\"src\":17}}"))
        .isInstanceOfSatisfying(RequestJson.InvalidRequest.class, e -> assertThat(e.path()).isEqualTo("$.context.src"));
  }

  @Test
  void testBlocksReadTheirLiteralsAsDeclared() throws Exception {
    PolicySet set = load(IP_SET + """
        test "ip from a string literal" {
          principal User "a"
          resource Doc "d"
          action read
          context { src: "10.0.0.1" }
          expect allow
        }
        test "!= does not fail open" {
          principal User "a"
          resource Doc "d"
          action write
          context { src: "6.6.6.6" }
          expect deny
        }
        """);
    TestReport report = TestRunner.run(set);
    assertThat(report.results()).allSatisfy(r -> assertThat(r.failures()).as(r.name()).isEmpty());
  }

  private static final String DURATION_SET = """
      entity User
      entity Booking { start: Time, length: Duration, price: Number, by: User, at: Ip }
      policy bookings on Booking {
        permit read when resource.start + resource.length > time("2024-01-01T10:30:00Z")
        permit write when duration(resource.length) == 1h
        permit approve when resource.price > 1000000000000000000
        permit cancel when resource.by == principal and cidr(resource.at, "10.0.0.0/8")
      }
      """;

  private static final String DURATION_DATA = """
      [{"uid": {"type": "Booking", "id": "b1"},
        "attrs": {"start": "2024-01-01T10:00:00Z", "length": "1h", "price": 1000000000000000000.5,
                  "by": {"__entity": {"type": "User", "id": "a"}}, "at": "10.1.2.3"}}]
      """;

  @Test
  void declaredDurationsTimesAndEntitiesFromDataFilesAreTyped() throws Exception {
    PolicySet set = load(DURATION_SET, DURATION_DATA);
    String base = "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Booking\",\"id\":\"b1\"},\"action\":";
    assertThat(decide(set, base + "\"read\"}")).isEqualTo("allow");
    assertThat(decide(set, base + "\"write\"}")).isEqualTo("allow");
    assertThat(decide(set, base + "\"approve\"}")).isEqualTo("allow");
    assertThat(decide(set, base + "\"cancel\"}")).isEqualTo("allow");
  }

  @Test
  void declaredTypesFromRequestAttributesAndEntities() throws Exception {
    PolicySet set = load(DURATION_SET);
    String attrs = "\"start\":\"2024-01-01T10:00:00Z\",\"length\":\"1h\",\"price\":1000000000000000000.5,"
        + "\"by\":{\"type\":\"User\",\"id\":\"a\"},\"at\":\"10.1.2.3\"";
    for (String action : new String[] {"read", "write", "approve", "cancel"}) {
      String asResource = "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Booking\",\"id\":\"b1\"," + attrs
          + "},\"action\":\"" + action + "\"}";
      assertThat(decide(set, asResource)).as(action).isEqualTo("allow");
      String asEntity = "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Booking\",\"id\":\"b1\"},\"action\":\""
          + action + "\",\"entities\":[{\"uid\":{\"type\":\"Booking\",\"id\":\"b1\"},\"attrs\":{" + attrs + "}}]}";
      assertThat(decide(set, asEntity)).as(action).isEqualTo("allow");
    }
    assertThatThrownBy(() -> request(set, "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Booking\",\"id\":\"b\","
        + "\"length\":\"an hour\"},\"action\":\"read\"}"))
        .isInstanceOfSatisfying(RequestJson.InvalidRequest.class, e -> {
          assertThat(e.path()).isEqualTo("$.resource.length");
          assertThat(e.getMessage()).contains("Duration");
        });
    assertThatThrownBy(() -> request(set, "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Booking\",\"id\":\"b\"},"
        + "\"action\":\"read\",\"entities\":[{\"uid\":{\"type\":\"Booking\",\"id\":\"b\"},"
        + "\"attrs\":{\"by\":{\"type\":\"Doc\",\"id\":\"x\"}}}]}"))
        .isInstanceOfSatisfying(RequestJson.InvalidRequest.class,
            e -> assertThat(e.path()).isEqualTo("$.entities[0].attrs.by"));
  }

  @Test
  void undeclaredAttributesKeepTheirGenericReading() throws Exception {
    PolicySet set = load(IP_SET);
    Request r = request(set, "{\"principal\":{\"id\":\"a\",\"x\":\"10.0.0.1\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
        + "\"action\":\"read\",\"context\":{\"src\":\"10.0.0.1\",\"other\":\"10.0.0.1\"}}");
    assertThat(r.context().get("src")).isInstanceOf(Value.Ip.class);
    assertThat(r.context().get("other")).isEqualTo(new Value.Str("10.0.0.1"));
    assertThat(r.principal().attrs().get("x")).isEqualTo(new Value.Str("10.0.0.1"));
  }

  @Test
  void decimalsAreReadExactly() throws Exception {
    JsonNode n = RequestJson.readTree("{\"a\": 1000000000000000000.5}".getBytes(StandardCharsets.UTF_8));
    assertThat(Values.fromJson(n.get("a"), "$.a")).isEqualTo(new Value.Num(new BigDecimal("1000000000000000000.5")));
  }

  @Test
  void numbersAreBoundedWhenRead() throws Exception {
    PolicySet set = load(IP_SET);
    for (String n : new String[] {"1e999999999", "1e-999999999", "1e41", "1e-41",
        "12345678901234567890123456789012345678901"}) {
      assertThatThrownBy(() -> request(set, "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
          + "\"action\":\"read\",\"context\":{\"ip\":" + n + "}}"))
          .as(n)
          .isInstanceOfSatisfying(RequestJson.InvalidRequest.class, e -> {
            assertThat(e.path()).isEqualTo("$.context.ip");
            assertThat(e.getMessage()).contains("number out of range");
          });
    }
    for (String n : new String[] {"1e39", "9.99e39", "1e-40", "1234567890123456789012345678901234567890", "0e999999999", "-0.5"}) {
      assertThat(request(set, "{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
          + "\"action\":\"read\",\"context\":{\"ip\":" + n + "}}").context().get("ip")).as(n).isInstanceOf(Value.Num.class);
    }
  }

  @Test
  void displayNeverExpandsANumber() {
    String s = Values.display(new Value.Num(new BigDecimal("1e999999999")));
    assertThat(s).hasSizeLessThan(40).isEqualTo("1E+999999999");
    assertThat(Values.display(new Value.Num(new BigDecimal("1e-999999999")))).hasSizeLessThan(40);
    assertThat(Values.display(new Value.Num(new BigDecimal("10.50")))).isEqualTo("10.50");
    assertThat(Values.display(new Value.Num(new BigDecimal("1E+3")))).isEqualTo("1000");
  }

  @Test
  void dataFilesWithAValueThatIsNotItsDeclaredTypeDoNotLoad() throws Exception {
    Files.writeString(dir.resolve("p.verdict"), DURATION_SET, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("d.entities.json"), """
        [{"uid": {"type": "Booking", "id": "b1"}, "attrs": {"price": 1e999999999}}]
        """, StandardCharsets.UTF_8);
    LoadResult r = Verdict.load(dir);
    assertThat(r.ok()).isFalse();
    assertThat(r.diagnostics()).anySatisfy(d -> {
      assertThat(d.message()).contains("number out of range");
      assertThat(d.jsonPath()).contains("$[0].attrs.price");
      assertThat(d.span().file()).endsWith("d.entities.json");
      assertThat(d.span().line()).isEqualTo(1);
    });
  }

  static String failures(TestResult r) {
    return r.name() + ": " + r.failures();
  }
}

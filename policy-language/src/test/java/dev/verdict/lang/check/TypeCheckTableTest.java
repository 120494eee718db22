package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One small policy per row, checked against a fixed schema: the exact code and message. */
class TypeCheckTableTest {
  static final String SCHEMA = """
      entity User in Group { tenant: String, trust: Number, department?: String }
      entity Group in Group
      entity Service
      entity Account {
        owner: String
        tenant: String
        balance: Number
        frozen: Bool
        opened: Time
        grace: Duration
        tags: Set<String>
        nickname?: String
        manager: User
        holder: { name: String, email?: String }
        items: Set<{ price: Number }>
      }
      context { mfa: Bool, ip: Ip, channel?: String }
      """;

  static List<Diagnostic> check(String policies) {
    ParseResult r = Parser.parse(new Source("t.verdict", SCHEMA + policies));
    assertThat(r.diagnostics()).as("syntax of %s", policies).isEmpty();
    List<PolicyFile> files = List.of(r.file());
    List<Diagnostic> out = new ArrayList<>();
    Schema schema = Schema.build(files, out);
    TypeCheckPass.check(files, schema, out);
    return out;
  }

  static String when(String condition) {
    return "policy p on Account { permit read when " + condition + " }\n";
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(when("resource.ownr == \"a\""), Code.UNKNOWN_ATTRIBUTE, "unknown attribute `ownr` on `Account`"),
        Arguments.of(when("resource.holder.nmae == \"a\""), Code.UNKNOWN_ATTRIBUTE,
            "unknown attribute `nmae` on `Account.holder`"),
        Arguments.of(when("resource.manager.tenantt == \"t\""), Code.UNKNOWN_ATTRIBUTE,
            "unknown attribute `tenantt` on `User`"),
        Arguments.of(when("principal.tenat == \"t\""), Code.UNKNOWN_ATTRIBUTE, "unknown attribute `tenat` on `User`"),
        Arguments.of(when("context.mfaa"), Code.UNKNOWN_ATTRIBUTE, "unknown attribute `mfaa` on `context`"),
        Arguments.of(when("resource has ownr"), Code.UNKNOWN_ATTRIBUTE, "unknown attribute `ownr` on `Account`"),
        Arguments.of(when("resource[\"ownr\"] == \"a\""), Code.UNKNOWN_ATTRIBUTE, "unknown attribute `ownr` on `Account`"),
        Arguments.of(when("resource.balance == \"x\""), Code.TYPE_MISMATCH, "cannot compare `Number` with `String`"),
        Arguments.of(when("resource.tags != \"vip\""), Code.TYPE_MISMATCH, "cannot compare `Set<String>` with `String`"),
        Arguments.of(when("resource.opened < resource.balance"), Code.TYPE_MISMATCH, "cannot compare `Time` with `Number`"),
        Arguments.of(when("resource.owner < 5"), Code.WRONG_OPERAND, "`<` needs numbers, times or durations, found `String`"),
        Arguments.of(when("resource.balance like \"1*\""), Code.WRONG_OPERAND, "`like` needs a string, found `Number`"),
        Arguments.of(when("resource.balance + resource.owner > 1"), Code.WRONG_OPERAND,
            "`+` cannot add `String` to `Number`"),
        Arguments.of(when("resource.opened - resource.balance > resource.opened"), Code.WRONG_OPERAND,
            "`-` cannot subtract `Number` from `Time`"),
        Arguments.of(when("-resource.owner == 1"), Code.WRONG_OPERAND, "`-` needs a number or a duration, found `String`"),
        Arguments.of(when("\"x\" in resource.owner"), Code.WRONG_OPERAND,
            "right side of `in` must be a set, a list or an entity, found `String`"),
        Arguments.of(when("5 in resource.tags"), Code.TYPE_MISMATCH, "`in` looks for a `Number` in a `Set<String>`"),
        Arguments.of(when("resource.owner in Group::\"g\""), Code.WRONG_OPERAND,
            "`in` with an entity on the right needs an entity on the left, found `String`"),
        Arguments.of(when("resource.frozen and resource.balance"), Code.WRONG_OPERAND, "`and` needs booleans, found `Number`"),
        Arguments.of(when("resource.owner or resource.frozen"), Code.WRONG_OPERAND, "`or` needs booleans, found `String`"),
        Arguments.of(when("not resource.tags"), Code.WRONG_OPERAND, "`not` needs a boolean, found `Set<String>`"),
        Arguments.of(when("resource.owner is User"), Code.WRONG_OPERAND, "`is` needs an entity, found `String`"),
        Arguments.of(when("resource.owner has x"), Code.WRONG_OPERAND, "`has` needs an entity or a record, found `String`"),
        Arguments.of(when("resource.owner.first == \"a\""), Code.WRONG_OPERAND,
            "`resource.owner` is a `String`, which has no attributes"),
        Arguments.of(when("resource.balance"), Code.NOT_BOOLEAN, "condition is a `Number`, not a boolean"),
        Arguments.of(when("if resource.owner then true else false"), Code.NOT_BOOLEAN,
            "`if` condition is a `String`, not a boolean"),
        Arguments.of(when("resource.nickname == \"n\""), Code.MISSING_HAS_GUARD,
            "`nickname` is optional in `Account` and may be absent"),
        Arguments.of(when("resource.holder.email == \"e\""), Code.MISSING_HAS_GUARD,
            "`email` is optional in `Account.holder` and may be absent"),
        Arguments.of(when("context.channel == \"web\""), Code.MISSING_HAS_GUARD,
            "`channel` is optional in `context` and may be absent"),
        Arguments.of(when("resource.nickname == \"n\" or resource has nickname"), Code.MISSING_HAS_GUARD,
            "`nickname` is optional in `Account` and may be absent"),
        Arguments.of(when("lowr(resource.owner) == \"a\""), Code.UNKNOWN_FUNCTION, "unknown function `lowr`"),
        Arguments.of(when("resource.tags.contain(\"a\")"), Code.UNKNOWN_FUNCTION, "unknown function `contain`"),
        Arguments.of(when("resource.manager.contains(principal)"), Code.TYPE_MISMATCH,
            "the receiver of `contains` must be a `Set`, found `User`"),
        Arguments.of(when("resource.tags.contains(5)"), Code.TYPE_MISMATCH, "`contains` looks for a `Number` in a `Set<String>`"),
        Arguments.of(when("resource.tags.contains()"), Code.WRONG_ARITY,
            "`.contains(…)` takes 1 argument besides the value before the dot, found 0"),
        Arguments.of(when("contains(resource.tags, \"a\", \"b\")"), Code.WRONG_ARITY, "`contains` takes 2 arguments, found 3"),
        Arguments.of(when("startsWith(resource.owner)"), Code.WRONG_ARITY, "`startsWith` takes 2 arguments, found 1"),
        Arguments.of(when("lower(resource.balance) == \"a\""), Code.TYPE_MISMATCH,
            "the argument of `lower` must be a `String`, found `Number`"),
        Arguments.of(when("containsAny(resource.tags, \"a\")"), Code.TYPE_MISMATCH,
            "the second argument of `containsAny` must be a `Set`, found `String`"),
        Arguments.of(when("size(resource.balance) > 1"), Code.TYPE_MISMATCH,
            "the argument of `size` must be a `String`, a `Set` or a record, found `Number`"),
        Arguments.of(when("cidr(context.ip, \"10.0.0.0/33\")"), Code.BAD_LITERAL, "`10.0.0.0/33` is not an IP range"),
        Arguments.of(when("ip(\"300.1.1.1\") == context.ip"), Code.BAD_LITERAL, "`300.1.1.1` is not an IP address"),
        Arguments.of(when("isLoopback(\"::1::\")"), Code.BAD_LITERAL, "`::1::` is not an IP address"),
        Arguments.of(when("resource.grace < duration(\"5 minutes\")"), Code.BAD_LITERAL, "`5 minutes` is not a duration"),
        Arguments.of(when("before(resource.opened, time(\"yesterday\"))"), Code.BAD_LITERAL,
            "`yesterday` is not an RFC 3339 time"),
        Arguments.of(when("hour(\"2024-13-01T00:00:00Z\") > 8"), Code.BAD_LITERAL,
            "`2024-13-01T00:00:00Z` is not an RFC 3339 time"),
        Arguments.of(when("toDate(\"2024-10-15T11:35\") == resource.opened"), Code.BAD_LITERAL,
            "`2024-10-15T11:35` is not an RFC 3339 time"),
        Arguments.of(when("toTime(resource.opened) < 9"), Code.TYPE_MISMATCH, "cannot compare `Duration` with `Number`"),
        Arguments.of(when("minute(resource.grace) == 0"), Code.TYPE_MISMATCH,
            "the argument of `minute` must be a `Time` or a `String`, found `Duration`"),
        Arguments.of(when("principal is Usr"), Code.UNKNOWN_TYPE, "unknown entity type `Usr`"),
        Arguments.of(when("principal in Grop::\"admins\""), Code.UNKNOWN_TYPE, "unknown entity type `Grop`"),
        Arguments.of("entity Doc in Foldr\n", Code.UNKNOWN_TYPE, "unknown entity type `Foldr`"),
        Arguments.of("entity Doc { size: Integer }\n", Code.BAD_TYPE, "unknown type `Integer`"),
        Arguments.of("entity Doc { a: String, a: Number }\n", Code.DUPLICATE, "attribute `a` is declared twice"),
        Arguments.of("policy p on Account { permit read fields read { holder.nam: hide } }\n", Code.UNKNOWN_FIELD,
            "unknown field `holder.nam` on `Account`"),
        Arguments.of("policy p on Account { permit read fields read { items.price: hide } }\n", Code.UNKNOWN_FIELD,
            "`Account.items` is a list"),
        Arguments.of("policy p on Account { permit read fields read { owner[]: hide } }\n", Code.UNKNOWN_FIELD,
            "`Account.owner` is a `String`, not a list"),
        Arguments.of("policy p on Account { permit read fields read { balance.cents: hide } }\n", Code.UNKNOWN_FIELD,
            "`Account.balance` is a `Number` and has no field `cents`"),
        Arguments.of("role r on Account when resource.ownr == principal.id\n", Code.UNKNOWN_ATTRIBUTE,
            "unknown attribute `ownr` on `Account`"),
        Arguments.of("limit l on intent \"x\" by principal.tenantt { 1 per 1m }\n", Code.UNKNOWN_ATTRIBUTE,
            "unknown attribute `tenantt` on `User`"),
        Arguments.of("limit l on intent \"x\" { 1 per 1m when principal.trust }\n", Code.NOT_BOOLEAN,
            "condition is a `Number`, not a boolean"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void reportsExactlyOneDiagnostic(String policies, Code code, String message) {
    List<Diagnostic> out = check(policies);
    assertThat(out).as("diagnostics of %s", policies).hasSize(1);
    assertThat(out.get(0).code()).isEqualTo(code);
    assertThat(out.get(0).message()).isEqualTo(message);
  }

  static Stream<String> valid() {
    return Stream.of(
        when("resource.owner == principal.id and resource.tenant == principal.tenant"),
        when("resource has nickname and resource.nickname == \"n\""),
        when("resource has nickname and resource.frozen and lower(resource.nickname) == \"n\""),
        when("if resource has nickname then resource.nickname == \"n\" else false"),
        when("resource.holder has email and resource.holder.email like \"*@example.com\""),
        when("context has channel and context.channel == \"web\""),
        when("context.now < resource.opened + resource.grace"),
        when("context.now - duration(\"-24h\") > resource.opened"),
        when("resource.balance + 1 >= 0.5 and resource.grace + 30s < 1h"),
        when("\"vip\" in resource.tags and principal in Group::\"admins\""),
        when("principal in resource.manager"),
        when("principal is Service and principal.anything == 1"),
        when("principal is User in Group::\"staff\""),
        when("containsAll(resource.tags, [\"a\", \"b\"]) and containsAny(principal.roles, [\"admin\"])"),
        when("resource.tags.contains(\"a\") and contains(resource.tags, resource.owner)"),
        when("resource.tags.containsAll([\"a\"]) and context.ip.isLoopback() and resource.owner.lower() == \"a\""),
        when("cidr(context.ip, \"10.0.0.0/8\") and cidr(\"192.168.1.1\", \"fd00::/8\") == false"),
        when("isLoopback(context.ip) or isMulticast(\"ff02::1\")"),
        when("hour(context.now) < 8 and weekday(\"2024-05-01T09:30:00+02:00\") == 3"),
        when("toTime(context.now) >= 9h and toDate(context.now) == time(\"2024-10-15\")"
            + " and minute(\"2024-10-15T11:35:00-0500\") + second(resource.opened) < 120"),
        when("after(context.now, resource.opened) and before(\"2024-01-01T00:00:00Z\", context.now)"),
        when("size(resource.tags) > 0 and size(resource.owner) < 10 and size(resource.holder) == 2"),
        when("startsWith(resource.owner, \"a\") and endsWith(resource.owner, \"z\")"),
        when("resource.items[0].price > 1 and resource[\"owner\"] == \"a\""),
        when("principal.roles == [\"admin\"] and principal.type == \"User\" and resource.id != \"\""),
        when("context.intent == \"funds.transfer\"").replace("permit", "forbid").replace("context.intent",
            "context has intent and context.intent"),
        when("action == \"read\" or action in [\"list\"]"),
        "policy p on Unknown { permit read when resource.whatever.deep == 1 }\n",
        "policy p on * { permit read when resource.anything == \"x\" }\n",
        "policy p on Account { permit read fields read {\n holder.name: hide\n items[].price: redact\n tags[]: hash\n } }\n",
        "role owner on Account when resource.owner == principal.id\n",
        "limit l on intent \"x\" by principal.id, context.ip { 1 per 1m when principal.trust < 50 }\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsWellTypedPolicies(String policies) {
    assertThat(check(policies)).isEmpty();
  }
}

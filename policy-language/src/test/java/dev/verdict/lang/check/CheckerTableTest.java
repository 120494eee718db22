package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule of the checker: a small policy set, the one diagnostic it must produce,
 * and its exact message and help. Each input is otherwise valid, so a second diagnostic is
 * a bug too.
 */
class CheckerTableTest {
  private static final String POLICY = "policy p on A { permit read, write }\n";
  private static final String TEST_PRINCIPAL = "principal { id: \"alice\" }\n";

  static Stream<Arguments> rows() {
    return Stream.of(
        // duplicates
        row("policy p on A { permit read }\npolicy p on A { permit write }",
            Code.DUPLICATE, "policy `p` is defined twice",
            "names are unique across the policy set; rename or remove one of them"),
        row("role a, b, a\npolicy p on A { permit read to a, b }",
            Code.DUPLICATE, "role `a` is defined twice", null),
        row("role owner, admin\nrole owner on A when resource.o == principal.id\npolicy p on A { permit read to owner, admin }",
            Code.DUPLICATE, "role `owner` is defined twice", null),
        row("actions w = read\nactions w = write\n" + POLICY,
            Code.DUPLICATE, "action group `w` is defined twice", null),
        row("entity A\nentity A\n" + POLICY, Code.DUPLICATE, "entity type `A` is defined twice", null),
        row("context { mfa: Bool }\ncontext { ip: String }",
            Code.DUPLICATE, "the context schema is defined twice", "merge the two `context` declarations into one"),
        row("policy p on A {\n  @id(\"x\") permit read\n  @id(\"x\") permit write\n}",
            Code.DUPLICATE, "rule id `x` is defined twice",
            "rule ids name the rules that decide; give each `@id` a different value"),
        row("intent \"i\"\nintent \"j\"\nlimit l on intent \"i\" { 1 per 1m }\nlimit l on intent \"j\" { 2 per 1m }",
            Code.DUPLICATE, "limit `l` is defined twice", null),
        row(POLICY + "test \"t\" { " + TEST_PRINCIPAL + " resource A \"a\" action read expect allow }\n"
                + "test \"t\" { " + TEST_PRINCIPAL + " resource A \"b\" action read expect allow }",
            Code.DUPLICATE, "test `t` is defined twice", null),
        // roles
        row("role admin, auditor\npolicy p on A { permit read to admn }",
            Code.UNKNOWN_ROLE, "unknown role `admn`", "did you mean `admin`?"),
        row("role admin\npolicy p on A { permit read to root }",
            Code.UNKNOWN_ROLE, "unknown role `root`", "declare it with `role root`, or define it as a derived role"),
        row("role admin\npolicy p on A { permit read fields read { x: hide unless admin, suport } }",
            Code.UNKNOWN_ROLE, "unknown role `suport`", null),
        row("role owner on A when resource.o == principal.id\npolicy p on B { permit read to owner }",
            Code.SHADOWED_RULE, "role `owner` is defined on `A`, so it never holds in policy `p` on `B`",
            "use it in a policy on `A`, or define the role `on *`"),
        // actions
        row(POLICY + "route GET \"/a/{id}\" -> A[id].reed",
            Code.UNKNOWN_ACTION, "unknown action `reed`", "did you mean `read`?"),
        row(POLICY + "test \"t\" { " + TEST_PRINCIPAL + " resource A \"a\" action purge expect deny }",
            Code.UNKNOWN_ACTION, "unknown action `purge`",
            "no rule names this action; name it in a rule, or in an `actions` group to declare it"),
        row("actions w = read, w\n" + POLICY,
            Code.ACTION_GROUP_CYCLE, "action group `w` contains itself: `w` -> `w`",
            "a group lists actions and smaller groups; remove `w` from `w`"),
        // resource types
        row(POLICY + "route GET \"/a/{id}\" -> Aa[id].read",
            Code.UNKNOWN_TYPE, "unknown entity type `Aa`", "did you mean `A`?"),
        row("policy p on Doc { permit read when principal is Usr }",
            Code.UNKNOWN_TYPE, "unknown entity type `Usr`", "did you mean `User`?"),
        row("entity Doc\nentity Team\npolicy p on Doc { permit read when principal in Tem::\"x\" }",
            Code.UNKNOWN_TYPE, "unknown entity type `Tem`", "did you mean `Team`?"),
        row("entity Doc\npolicy p on Docs { permit read }",
            Code.UNKNOWN_TYPE, "unknown entity type `Docs`", "did you mean `Doc`?"),
        // routes
        row(POLICY + "route Get \"/a\" -> A.read",
            Code.BAD_METHOD, "invalid HTTP method `Get`", "methods are written in capitals: `GET`"),
        row(POLICY + "route GET \"\" -> A.read",
            Code.BAD_ROUTE_TEMPLATE, "route template is empty", null),
        row(POLICY + "route GET \"a/b\" -> A.read",
            Code.BAD_ROUTE_TEMPLATE, "route template `a/b` does not start with `/`", "write `/a/b`"),
        row(POLICY + "route GET \"/a/\" -> A.read", Code.BAD_ROUTE_TEMPLATE, "route template ends with `/`", null),
        row(POLICY + "route GET \"/a//b\" -> A.read",
            Code.BAD_ROUTE_TEMPLATE, "route template has an empty segment (`//`)", "remove the extra `/`"),
        row(POLICY + "route GET \"/a?x=1\" -> A.read", Code.BAD_ROUTE_TEMPLATE, "route template contains a query (`?`)", null),
        row(POLICY + "route GET \"/a#top\" -> A.read", Code.BAD_ROUTE_TEMPLATE, "route template contains a fragment (`#`)", null),
        row(POLICY + "route GET \"/a/./b\" -> A.read", Code.BAD_ROUTE_TEMPLATE, "route template has a `.` segment", null),
        row(POLICY + "route GET \"/a/x{id}\" -> A.read", Code.BAD_ROUTE_TEMPLATE, "route parameter must be a whole segment", null),
        row(POLICY + "route GET \"/a/{}\" -> A.read", Code.BAD_ROUTE_TEMPLATE, "route parameter has no name", "write e.g. `{id}`"),
        row(POLICY + "route GET \"/a/{1d}\" -> A.read", Code.BAD_ROUTE_TEMPLATE, "route parameter `{1d}` has an invalid name", null),
        row(POLICY + "route GET \"/a/{id}/{id}\" -> A[id].read",
            Code.BAD_ROUTE_TEMPLATE, "route parameter `id` appears twice", "give each parameter a different name"),
        row(POLICY + "route GET \"/a/{key}\" -> A[kee].read",
            Code.UNKNOWN_ROUTE_PARAM, "route parameter `kee` is not in the template", "did you mean `key`?"),
        row(POLICY + "route POST \"/auth/session\" -> A[session].read",
            Code.UNKNOWN_ROUTE_PARAM, "route parameter `session` is not in the template",
            "the template has no parameters; add `{session}` to it, leave out `[session]` for a collection route;"
                + " for a fixed id, quote it: `[\"session\"]`"),
        row(POLICY + "route POST \"/auth/session\" -> A[\"\"].read",
            Code.BAD_FIXED_ROUTE_ID, "a route's fixed id is empty",
            "name the resource: `A[\"session\"]`, or use `[route]` for the template as the id"),
        row(POLICY + "@pubilc route POST \"/auth/session\" -> A[\"s\"].read",
            Code.BAD_ANNOTATION, "unknown annotation `@pubilc`", "did you mean `@public`?"),
        row(POLICY + "route POST \"/auth/session\" -> A[\"s\"].read\n@public policy q on A { permit write }",
            Code.BAD_ANNOTATION, "`@public` is not allowed on a policy",
            "`@public` lets requests without a token use a route; remove it here"),
        row(POLICY + "route GET \"/a/{id}\" -> A[id].read\nroute GET \"/a/new\" -> A.write",
            Code.OVERLAPPING_ROUTES, "route `GET /a/new` overlaps `GET /a/{id}`",
            "both match `GET /a/new`; a request must match one route only, so make the templates differ"),
        // limits
        row(POLICY + "route POST \"/a/{id}/comments\" -> A[id].write intent \"blog.comment\"\n"
                + "limit l on intent \"blog.coment\" { 1 per 1m }",
            Code.UNKNOWN_INTENT, "unknown intent `blog.coment`", "did you mean `blog.comment`?"),
        row("limit l on intent \"reports.export\" { 1 per 1m }",
            Code.UNKNOWN_INTENT, "unknown intent `reports.export`",
            "no route names this intent; add `intent \"reports.export\"` to a route, or declare it with `intent \"reports.export\"` if only services send it (in `context.intent`)"),
        row("intent \"i\"\nlimit l on intent \"i\" { 0 per 1m }", Code.BAD_RATE, "`0 per 1m` admits no request",
            "a rate admits at least 1 request; to refuse the intent, write a `forbid` rule"),
        row("intent \"i\"\nlimit l on intent \"i\" { 5 per 0m }", Code.BAD_RATE, "`5 per 0m` has a zero period", null),
        row("intent \"i\"\nlimit l on intent \"i\" { 5 per 1s burst 0 }", Code.BAD_RATE, "`5 per 1s burst 0` admits no request", null),
        row("intent \"i\"\nlimit l on intent \"i\" by principal.id {\n  5 per 1m\n  1 per 1m when principal.trust < 5\n}",
            Code.UNREACHABLE_LIMIT_LINE, "limit line `1 per 1m` is never chosen", null),
        row("intent \"i\"\nlimit l on intent \"i\" { 5000 per 1h window }", Code.WINDOW_TOO_LARGE,
            "`5000 per 1h window` counts more than 1000 requests",
            "a window remembers each request it admits; for higher rates use a token bucket: `5000 per 1h`"),
        row("intent \"i\"\nlimit l on intent \"i\" { }", Code.EMPTY_LIMIT, "limit `l` has no rate line", "add a line such as `10 per 1m`"),
        // field effects
        row("policy p on A { permit read fields read { ssn: deny } }",
            Code.BAD_FIELD_EFFECT, "`deny` is not a read effect", null),
        row("policy p on A { permit write fields write { ssn: hash } }",
            Code.BAD_FIELD_EFFECT, "`hash` is not a write effect", null),
        // namespaces (issue 13 gap 2)
        row("entity App::User\nentity App::Doc { owner: Ap::User }",
            Code.UNKNOWN_NAMESPACE, "unknown namespace `Ap` in `Ap::User`", "did you mean `App`?"),
        row("entity App::User\nentity App::Doc in Ap::User",
            Code.UNKNOWN_NAMESPACE, "unknown namespace `Ap` in `Ap::User`", "did you mean `App`?"),
        row("entity App::Doc\npolicy p on App::Doc { permit read when principal is Ap::User }",
            Code.UNKNOWN_NAMESPACE, "unknown namespace `Ap` in `Ap::User`", "did you mean `App`?"),
        row("entity App::Doc\npolicy p on App::Doc { permit read }\nroute GET \"/d/{id}\" -> Shop::Doc[id].read",
            Code.UNKNOWN_NAMESPACE, "unknown namespace `Shop` in `Shop::Doc`",
            "declared namespaces are `App`; or declare it with `entity Shop::Doc`"),
        row("entity App::User\nentity App::Doc\npolicy p on App::Doc { permit read when principal is App::Usr }",
            Code.UNKNOWN_TYPE, "unknown entity type `App::Usr`", "did you mean `App::User`?"),
        // field blocks per action (issue 13 gap 8)
        row("policy p on A { permit read fields read on raed { ssn: hide } }",
            Code.UNKNOWN_ACTION, "unknown action `raed`", "did you mean `read`?"),
        row("policy p on A { permit read fields read on transfer { ssn: hide } }\npolicy q on B { permit transfer }",
            Code.FIELD_ACTION_NEVER_ALLOWED, "no permit allows `transfer` on `A`",
            "field rules apply to allowed decisions only; permit the action, or name one that is permitted"),
        row("role admin\npolicy p on A { permit read fields read { ssn: hide when principal.x unless admn } }",
            Code.UNKNOWN_ROLE, "unknown role `admn`", "did you mean `admin`?"),
        row("policy p on A { permit read fields read { ssn: hide when principal.x unless 1 } }",
            Code.NOT_BOOLEAN, "condition is a `Number`, not a boolean", null),
        // tests
        row(POLICY + "test \"t\" { resource A \"a\" action read expect allow }",
            Code.BAD_TEST, "test `t` has no principal", "add e.g. `principal { id: \"alice\", roles: [\"user\"] }`"),
        row(POLICY + "test \"t\" { " + TEST_PRINCIPAL + " resource A \"a\" action read }",
            Code.BAD_TEST, "test `t` expects nothing", "add e.g. `expect allow` or `expect deny`"),
        row(POLICY + "route GET \"/a/{id}\" -> A[id].read\ntest \"t\" { " + TEST_PRINCIPAL
                + " request GET \"/a/1\" action read expect allow }",
            Code.BAD_TEST, "test `t` has both a `request` and an `action`", null),
        row(POLICY + "test \"t\" { " + TEST_PRINCIPAL + " " + TEST_PRINCIPAL + " resource A \"a\" action read expect allow }",
            Code.BAD_TEST, "test `t` has a second `principal`", null),
        row(POLICY + "test \"t\" { " + TEST_PRINCIPAL + " resource A \"a\" action read expect allow because \"p:9\" }",
            Code.BAD_TEST, "no rule has the id `p:9`", "did you mean `p:1`?"),
        row(POLICY + "test \"t\" { " + TEST_PRINCIPAL + " resource A \"a\" action read repeat 3 expect last rate_limited fields { x: hide } }",
            Code.BAD_TEST, "field expectations need `expect allow`, not `rate_limited`", null),
        row(POLICY + "test \"t\" { principal { roles: [] } resource A \"a\" action read expect deny }",
            Code.BAD_TEST, "principal has no id", null),
        row(POLICY + "route GET \"/a/{id}\" -> A[id].read\ntest \"t\" { " + TEST_PRINCIPAL + " request GET \"/b/1\" expect allow }",
            Code.UNROUTED_TEST_REQUEST, "no route matches `GET /b/1`", "add a `route` for it, or correct the path"),
        row(POLICY + "route POST \"/a/{id}\" -> A[id].write\ntest \"t\" { " + TEST_PRINCIPAL + " request GET \"/a/1\" expect allow }",
            Code.UNROUTED_TEST_REQUEST, "no route matches `GET /a/1`", "`/a/1` is routed for `POST` only"),
        // warnings
        row("entity Post { draft: Bool }\npolicy p on Post { permit read, list when not resource.draft }\n"
                + "route GET \"/posts\" -> Post.list",
            Code.COLLECTION_RESOURCE_ATTRIBUTE, "`resource.draft` cannot be read on the collection route `GET /posts`",
            "a route without `[id]` asks about the type, so the resource has no attributes and this `permit` never applies"
                + " there; give `list` a rule that reads only `principal` and `context`, or guard the read with `resource has draft`"),
        row("entity Post\nactions browse = list\npolicy p on * { forbid browse when resource.hidden }\nroute GET \"/posts\" -> Post.list",
            Code.COLLECTION_RESOURCE_ATTRIBUTE, "`resource.hidden` cannot be read on the collection route `GET /posts`",
            "a route without `[id]` asks about the type, so the resource has no attributes and this `forbid` always applies"
                + " there, denying every request; give `list` a rule that reads only `principal` and `context`,"
                + " or guard the read with `resource has hidden`"),
        row("role author on Post when resource.owner == principal.id\npolicy p on Post { permit create to author }\n"
                + "route POST \"/posts\" -> Post.create",
            Code.COLLECTION_RESOURCE_ATTRIBUTE,
            "role `author` never holds on the collection route `POST /posts`: it reads `resource.owner`", null),
        row("policy p on A {\n  permit read to clerk when context.mfa\n  forbid * to clerk\n}",
            Code.SHADOWED_RULE, "this `permit` can never apply: an unconditional `forbid` covers it", null),
        row("actions w = read, write\npolicy p on A { permit read }\npolicy q on * { forbid w }",
            Code.SHADOWED_RULE, "this `permit` can never apply: an unconditional `forbid` covers it", null));
  }

  private static Arguments row(String input, Code code, String message, String help) {
    return Arguments.of(input, code, message, help);
  }

  static List<Diagnostic> check(String text) {
    CheckResult r = Verdict.check(new SourceSet(List.of(new Source("t.verdict", text)), List.of(), List.of()));
    return r.diagnostics();
  }

  @ParameterizedTest(name = "[{index}] {1}: {2}")
  @MethodSource("rows")
  void reportsExactlyTheExpectedDiagnostic(String input, Code code, String message, String help) {
    List<Diagnostic> diags = check(input);
    assertThat(diags).as("diagnostics of:\n%s", input).hasSize(1);
    Diagnostic d = diags.get(0);
    assertThat(d.code()).isEqualTo(code);
    assertThat(d.message()).isEqualTo(message);
    assertThat(d.span().hasPosition()).as("has a position").isTrue();
    if (help != null) {
      assertThat(d.help()).contains(help);
    }
  }
}

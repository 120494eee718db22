package dev.verdict.lang.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRunnerTest {
  static final String SET = """
      role owner on Account when resource.owner == principal.id
      role user, admin
      policy accounts on Account {
        @id("owner-acts") permit read, transfer to owner
        @id("frozen") forbid transfer when resource.frozen
        permit delete to admin
        fields read { balance: redact unless owner }
      }
      route POST "/accounts/{id}/transfers" -> Account[id].transfer intent "funds.transfer"
      limit transfers on intent "funds.transfer" by principal.id {
        2 per 1m
      }
      """;

  private static TestReport run(Path dir, String tests) throws Exception {
    Files.writeString(dir.resolve("set.verdict"), SET);
    Files.writeString(dir.resolve("tests.verdict"), tests);
    LoadResult loaded = Verdict.load(dir);
    assertThat(loaded.diagnostics()).as(loaded.check().render()).isEmpty();
    return TestRunner.run(loaded.policySet().orElseThrow());
  }

  @Test
  void passingTestsAndRateLimitsThroughTheRoute(@TempDir Path dir) throws Exception {
    TestReport report = run(dir, """
        test "owner reads, balance visible" {
          principal { id: "alice", roles: ["user"] }
          resource Account "a1" { owner: "alice", frozen: false, balance: 5 }
          action read
          expect allow because "owner-acts" fields { }
        }
        test "third transfer through the route is throttled" {
          principal { id: "alice", roles: ["user"] }
          request POST "/accounts/a1/transfers"
          resource Account "a1" { owner: "alice", frozen: false }
          repeat 3 expect last rate_limited
        }
        test "frozen" {
          principal { id: "alice", roles: ["user"] }
          resource Account "a1" { owner: "alice", frozen: true }
          action transfer
          expect deny because "frozen"
        }
        """);
    assertThat(report.results()).allSatisfy(r -> assertThat(r.failures()).as(r.name()).isEmpty());
    assertThat(report.coverage().missed()).extracting(Coverage.Item::id)
        .containsExactlyInAnyOrder("accounts:6", "balance: redact");
    assertThat(report.coverage().percent()).isBetween(66.0, 67.0);
  }

  @Test
  void failuresSayWhatWasExpectedAndWhatHappened(@TempDir Path dir) throws Exception {
    TestReport report = run(dir, """
        test "wrong expectation" {
          principal { id: "bob", roles: ["user"] }
          resource Account "a1" { owner: "alice", frozen: false, balance: 5 }
          action read
          expect allow
        }
        test "wrong mask" {
          principal { id: "root", roles: ["admin"] }
          resource Account "a1" { owner: "alice", frozen: false }
          action delete
          expect allow fields { balance: hide }
        }
        """);
    assertThat(report.failed()).isEqualTo(2);
    assertThat(report.results().get(0).failures()).containsExactly("expected allow, got deny (no permit applied)");
    assertThat(report.results().get(1).failures())
        .containsExactly("expected read fields { balance: hide }, got { balance: redact }");
    ByteArrayOutputStream xml = new ByteArrayOutputStream();
    JUnitXml.write(report, "set", xml);
    String text = xml.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("tests=\"2\"").contains("failures=\"2\"")
        .contains("<failure message=\"expected allow, got deny (no permit applied)\"");
  }

  /** Messages use the policy language's forms, not Java's `{a=b}` and `PT30S` (issue 9.10). */
  @Test
  void messagesPrintMasksAndDurationsAsPoliciesWriteThem(@TempDir Path dir) throws Exception {
    TestReport report = run(dir, """
        test "wrong write mask" {
          principal { id: "root", roles: ["admin"] }
          resource Account "a1" { owner: "alice", frozen: false }
          action delete
          expect allow fields write { owner: deny }
        }
        test "throttled" {
          principal { id: "alice", roles: ["user"] }
          resource Account "a1" { owner: "alice", frozen: false }
          action transfer
          repeat 3 expect all allow
        }
        """);
    assertThat(report.results().get(0).failures()).containsExactly("expected write fields { owner: deny }, got { }");
    assertThat(report.results().get(1).failures()).containsExactly(
        "request 3 of 3: expected allow, got rate_limited by owner-acts (limit `transfers`, retry after 30s)");
    assertThat(report.results().get(1).decision().orElseThrow().trace().orElseThrow().steps())
        .anySatisfy(step -> assertThat(step.detail()).isEqualTo("2 per 1m for key alice: refused, retry after 30s"));
  }

  /** The example of docs/language.md: every `repeat` line starts from fresh budgets (issue 9.7). */
  @Test
  void eachRepeatLineStartsFromFreshBudgets(@TempDir Path dir) throws Exception {
    TestReport report = run(dir, """
        test "the third transfer in a minute is throttled" {
          principal { id: "alice", roles: ["user"] }
          resource Account "a1" { owner: "alice", frozen: false }
          action transfer
          repeat 2 expect all allow
          repeat 3 expect last rate_limited
          expect allow
        }
        test "the same caller in another test has its own budget" {
          principal { id: "alice", roles: ["user"] }
          resource Account "a1" { owner: "alice", frozen: false }
          action transfer
          repeat 2 expect all allow
        }
        """);
    assertThat(report.results()).allSatisfy(r -> assertThat(r.failures()).as(r.name()).isEmpty());
  }

  /** `expect last` judges the last decision only, as documented (issue 9.7). */
  @Test
  void expectLastJudgesOnlyTheLastDecision(@TempDir Path dir) throws Exception {
    TestReport report = run(dir, """
        test "well past the limit" {
          principal { id: "alice", roles: ["user"] }
          resource Account "a1" { owner: "alice", frozen: false }
          action transfer
          repeat 4 expect last rate_limited
        }
        test "a wrong last decision still fails" {
          principal { id: "alice", roles: ["user"] }
          resource Account "a1" { owner: "alice", frozen: false }
          action transfer
          repeat 4 expect last allow
        }
        """);
    assertThat(report.results().get(0).failures()).isEmpty();
    assertThat(report.results().get(1).failures()).singleElement().asString()
        .startsWith("request 4 of 4: expected allow, got rate_limited");
  }

  /** A test's `request` line gets the route's context exactly as a gateway check does. */
  @Test
  void aRequestLineCarriesTheMethodAndPathAsAGatewayCheckDoes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("docs.verdict"), """
        policy docs on Doc {
          @id("get-by-path") permit read when context.method == "GET" and context.path == "/docs/d1"
        }

        route GET "/docs/{id}" -> Doc[id].read
        """);
    TestReport report = run(dir, """
        test "a routed read sees its method and path" {
          principal { id: "alice" }
          request GET "/docs/d1?view=full"
          expect allow because "get-by-path"
        }
        """);
    assertThat(report.results()).allSatisfy(r -> assertThat(r.failures()).as(r.name()).isEmpty());
  }

  @Test
  void aRequestThroughAPublicRouteWithoutAPrincipalIsAnonymousAndLimitedByAddress(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("auth.verdict"), """
        @public
        route POST "/auth/login" -> AuthApi["login"].login intent "auth.login"
        route POST "/auth/logout" -> AuthApi["logout"].logout
        limit logins on intent "auth.login" by context.ip {
          2 per 1m
        }
        @public
        route POST "/auth/reset" -> AuthApi[route].reset intent "auth.reset"
        limit resets on intent "auth.reset" by context.ip {
          3 per 1d window
        }
        policy auth on AuthApi {
          @id("anyone-logs-in") permit login when principal is Anonymous and resource.id == "login"
          permit reset when resource.id == "/auth/reset"
          permit logout
        }
        """);
    TestReport report = run(dir, """
        test "anonymous login is throttled per address" {
          request POST "/auth/login"
          context { ip: "10.0.0.1" }
          repeat 3 expect last rate_limited
        }
        test "anonymous login is allowed by its rule" {
          request POST "/auth/login"
          context { ip: "10.0.0.2" }
          expect allow because "anyone-logs-in"
        }
        test "three resets a day" {
          request POST "/auth/reset"
          context { ip: "10.0.0.3" }
          repeat 3 expect all allow
        }
        test "the fourth reset of the day waits" {
          request POST "/auth/reset"
          context { ip: "10.0.0.4" }
          repeat 4 expect last rate_limited
        }
        test "a user is not anonymous" {
          principal { id: "alice", roles: ["user"] }
          request POST "/auth/login"
          expect deny
        }
        """);
    assertThat(report.results()).allSatisfy(r -> assertThat(r.failures()).as(r.name()).isEmpty());
    assertThat(report.results()).hasSize(5);
  }

  @Test
  void aTestWithoutAPrincipalOnARouteThatIsNotPublicIsStillAnError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("set.verdict"), SET);
    Files.writeString(dir.resolve("tests.verdict"), """
        test "who?" {
          request POST "/accounts/a1/transfers"
          expect deny
        }
        """);
    LoadResult loaded = Verdict.load(dir);
    assertThat(loaded.check().render()).contains("test `who?` has no principal");
  }
}

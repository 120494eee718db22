package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision's direct paths for {@code principal.x} and {@code resource.x}, its derived roles
 * kept in a long's bits (up to 16) or an array (beyond), and its hits kept without an array for
 * the first: each gives the answer the general path gives.
 */
class AttributeReadPathsTest {
  @TempDir Path dir;

  private PolicySet load(String policy, String entities) throws Exception {
    Files.writeString(dir.resolve("p.verdict"), policy);
    if (entities != null) {
      Files.writeString(dir.resolve("d.entities.json"), entities);
    }
    LoadResult loaded = Verdict.load(dir);
    // warnings (roles a test does not use) are fine; errors are not
    assertThat(loaded.diagnostics()).noneMatch(d -> d.severity() == dev.verdict.lang.source.Severity.ERROR);
    return loaded.policySet().orElseThrow();
  }

  private static Request request(String json) throws Exception {
    return RequestJson.parse(new ObjectMapper().readTree(json));
  }

  @Test
  void aResourceThatIsThePrincipalReadsThePrincipalsData() throws Exception {
    PolicySet set = load("""
        policy self on User {
          permit view when resource.dept == "a"
          permit edit when principal.dept == "a"
        }
        """, null);
    String body = """
        {"principal": {"type": "User", "id": "u1", "dept": "a"},
         "resource": {"type": "User", "id": "u1", "dept": "b"}, "action": "%s"}
        """;
    // one entity named twice: the principal's data wins for both reads, as the general path has it
    assertThat(Authorizer.decide(set, request(body.formatted("view"))).allowed()).isTrue();
    assertThat(Authorizer.decide(set, request(body.formatted("edit"))).allowed()).isTrue();
  }

  @Test
  void theRequestsEntityListCompletesThePrincipalAndTheResource() throws Exception {
    PolicySet set = load("""
        policy docs on Doc {
          permit view when principal.dept == resource.dept and principal.level == 2
        }
        """, null);
    Decision d = Authorizer.decide(set, request("""
        {"principal": {"id": "u1", "level": 2},
         "resource": {"type": "Doc", "id": "d1"}, "action": "view",
         "entities": [{"uid": {"type": "User", "id": "u1"}, "attrs": {"dept": "x", "level": 1}, "parents": []},
                      {"uid": {"type": "Doc", "id": "d1"}, "attrs": {"dept": "x"}, "parents": []}]}
        """));
    // dept from the list, level from the request's own data (which wins over the list's 1)
    assertThat(d.allowed()).as("%s", d).isTrue();
  }

  @Test
  void theDataFilesAnswerWhatTheRequestLacksAndTheRequestWins() throws Exception {
    PolicySet set = load("""
        policy docs on Doc {
          permit view when resource.owner == principal.id and resource.state == "open"
        }
        """, """
        [{"uid": {"type": "Doc", "id": "d1"}, "attrs": {"owner": "alice", "state": "closed"}, "parents": []}]
        """);
    String body = """
        {"principal": {"id": "alice"}, "resource": {"type": "Doc", "id": "d1"%s}, "action": "view"}
        """;
    assertThat(Authorizer.decide(set, request(body.formatted(""))).allowed()).isFalse();
    assertThat(Authorizer.decide(set, request(body.formatted(", \"state\": \"open\""))).allowed()).isTrue();
    Decision missing = Authorizer.decide(set, request("""
        {"principal": {"id": "alice"}, "resource": {"type": "Doc", "id": "d2"}, "action": "view"}
        """));
    assertThat(missing.allowed()).isFalse();
    // the request names d2, so the entity is known and its attribute is what is missing
    assertThat(missing.errors()).singleElement()
        .satisfies(e -> assertThat(e.kind()).isEqualTo(EvalError.Kind.MISSING_ATTRIBUTE));
  }

  @Test
  void builtInAttributesAndMissingOnesOnTheDirectPath() throws Exception {
    PolicySet set = load("""
        policy docs on Doc {
          permit view when resource.id == "d1" and resource.type == "Doc" and principal.id == "alice"
          permit edit when principal.nickname == "al"
        }
        """, null);
    assertThat(Authorizer.decide(set, request("""
        {"principal": {"id": "alice"}, "resource": {"type": "Doc", "id": "d1"}, "action": "view"}
        """)).allowed()).isTrue();
    Decision edit = Authorizer.decide(set, request("""
        {"principal": {"id": "alice"}, "resource": {"type": "Doc", "id": "d1"}, "action": "edit"}
        """));
    assertThat(edit.allowed()).isFalse();
    assertThat(edit.errors()).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(EvalError.Kind.MISSING_ATTRIBUTE);
      assertThat(e.message()).contains("principal.nickname");
    });
  }

  @Test
  void derivedRolesBeyondWhatALongHoldsAndAtItsEdge() throws Exception {
    // 20 derived roles: r0 … r19, each held when resource.n is its number
    String roles = IntStream.range(0, 20).mapToObj(i -> "role r" + i + " on * when resource.n == " + i)
        .collect(Collectors.joining("\n"));
    PolicySet many = load(roles + "\npolicy p on Doc {\n  permit view to r15, r19\n}\n", null);
    assertThat(many.derivedRoleCount()).isEqualTo(20);
    for (int n : new int[] {14, 15, 16, 19}) {
      Decision d = Authorizer.decide(many, request("""
          {"principal": {"id": "u"}, "resource": {"type": "Doc", "id": "d", "n": %d}, "action": "view"}
          """.formatted(n)));
      assertThat(d.allowed()).as("n = %d", n).isEqualTo(n == 15 || n == 19);
    }
  }

  @Test
  void derivedRolesInBitsKeepEachRolesState() throws Exception {
    // 16 roles fit a long, four bits each; a rule naming all of them evaluates every one in one decision
    String roles = IntStream.range(0, 16).mapToObj(i -> "role r" + i + " on * when resource.n == " + i)
        .collect(Collectors.joining("\n"));
    String all = IntStream.range(0, 16).mapToObj(i -> "r" + i).collect(Collectors.joining(", "));
    PolicySet set = load(roles + """

        policy p on Doc {
          permit view to r15
          permit approve to %s
          permit edit to r3 when resource.n < 15
          forbid edit to r14
        }
        """.formatted(all), null);
    assertThat(set.derivedRoleCount()).isEqualTo(16);
    String body = """
        {"principal": {"id": "u"}, "resource": {"type": "Doc", "id": "d", "n": %d}, "action": "%s"}
        """;
    assertThat(Authorizer.decide(set, request(body.formatted(15, "view"))).allowed()).isTrue();
    assertThat(Authorizer.decide(set, request(body.formatted(14, "view"))).allowed()).isFalse();
    for (int n = 0; n < 16; n++) {
      assertThat(Authorizer.decide(set, request(body.formatted(n, "approve"))).allowed()).as("n = %d", n).isTrue();
    }
    assertThat(Authorizer.decide(set, request(body.formatted(16, "approve"))).allowed()).isFalse();
    assertThat(Authorizer.decide(set, request(body.formatted(3, "edit"))).allowed()).isTrue();
    assertThat(Authorizer.decide(set, request(body.formatted(14, "edit"))).allowed()).isFalse();
  }

  @Test
  void severalHitsAreAllReportedInRuleOrder() throws Exception {
    PolicySet set = load("""
        policy p on Doc {
          @id("c") permit view to admin
          @id("a") permit view when resource.open
          @id("b") permit view to user
          @id("f1") forbid edit when resource.locked
          @id("f2") forbid edit to user
          @id("f3") forbid edit to admin
          permit edit
        }
        """, null);
    Decision view = Authorizer.decide(set, request("""
        {"principal": {"id": "u", "roles": ["user", "admin"]},
         "resource": {"type": "Doc", "id": "d", "open": true, "locked": true}, "action": "view"}
        """));
    assertThat(view.reasons()).containsExactly("c", "a", "b");
    Decision edit = Authorizer.decide(set, request("""
        {"principal": {"id": "u", "roles": ["user", "admin"]},
         "resource": {"type": "Doc", "id": "d", "open": true, "locked": true}, "action": "edit"}
        """));
    assertThat(edit.allowed()).isFalse();
    assertThat(edit.reasons()).containsExactly("f1", "f2", "f3");
  }
}

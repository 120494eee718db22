package dev.verdict.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.server.cli.VerdictCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example policy sets are part of the build: each must pass {@code verdict check} with
 * no warning and {@code verdict fmt --check}, and {@code verdict test --coverage} must pass
 * every test and exercise every rule, field rule, route and limit. Statically, too: every
 * rule is named by some test's {@code because}, every route is requested by some test, and
 * every limit's intent is driven by some {@code repeat}.
 *
 * <p>Surefire runs with the module's directory as the working directory, so the sets are
 * found by their directory names.
 */
class ExamplePoliciesTest {
  private static final int MIN_TESTS = 20;

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents", "admin-api"})
  void passesVerdictCheckWithoutWarnings(String set) {
    assertThat(Path.of(set)).as("policy set directory, relative to the policies module").isDirectory();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = VerdictCommand.execute(new PrintWriter(out), new PrintWriter(err), "check", set);

    assertThat(code).as("exit code of `verdict check %s`; output:%n%s%s", set, out, err).isZero();
    assertThat(out.toString()).as("output of `verdict check %s`", set).endsWith("checked, 0 warnings" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents", "admin-api"})
  void allItsTestsPassAndCoverEveryRuleFieldRuleRouteAndLimit(String set) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = VerdictCommand.execute(new PrintWriter(out), new PrintWriter(err), "test", set, "--coverage");

    assertThat(code).as("exit code of `verdict test %s`; output:%n%s%s", set, out, err).isZero();
    assertThat(out.toString()).contains("exercised (100.0%)").doesNotContain("not exercised").contains(" 0 failed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents", "admin-api"})
  void isFormatted(String set) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = VerdictCommand.execute(new PrintWriter(out), new PrintWriter(err), "fmt", "--check", set);

    assertThat(code).as("`verdict fmt --check %s` lists unformatted files:%n%s%s", set, out, err).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents", "admin-api"})
  void hasNoDiagnosticsAtAll(String set) {
    CheckResult result = Verdict.check(List.of(Path.of(set)));

    assertThat(result.diagnostics()).as(result.render()).isEmpty();
    assertThat(result.files()).as("policy files of %s", set).hasSizeGreaterThanOrEqualTo(6);
  }

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents", "admin-api"})
  void hasAtLeastTwentyTests(String set) {
    assertThat(decls(set, Decl.TestDecl.class)).hasSizeGreaterThanOrEqualTo(MIN_TESTS);
  }

  /** The README's policy is what a new user copies first: it must check clean too. */
  @Test
  void theReadmePolicyExampleChecksClean(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## A policy");
    assertThat(section).as("the README's `## A policy` section").isNotNegative();
    int start = readme.indexOf("```\n", section) + 4;
    int end = readme.indexOf("```", start);
    Path file = Files.writeString(dir.resolve("readme.verdict"), readme.substring(start, end));

    CheckResult result = Verdict.check(List.of(file));

    assertThat(result.diagnostics()).as(result.render()).isEmpty();
    assertThat(result.files()).singleElement()
        .satisfies(f -> assertThat(f.decls()).hasAtLeastOneElementOfType(Decl.TestDecl.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents"})
  void shipsEntityDataForItsHierarchies(String set) throws Exception {
    try (Stream<Path> files = Files.list(Path.of(set))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.endsWith(".entities.json"));
    }
    assertThat(Verdict.check(List.of(Path.of(set))).sources().entityData()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents", "admin-api"})
  void everyRuleHasAnIdThatSomeTestExpects(String set) {
    Set<String> expected = new HashSet<>();
    for (Decl.TestDecl test : decls(set, Decl.TestDecl.class)) {
      expectations(test).forEach(e -> e.because().forEach(s -> expected.add(s.value())));
    }
    List<String> ids = new ArrayList<>();
    for (Decl.PolicyDecl policy : decls(set, Decl.PolicyDecl.class)) {
      for (PolicyMember.Rule rule : policy.rules()) {
        Optional<String> id = Annotation.find(rule.annotations(), "id");
        assertThat(id).as("@id of the rule at %s:%d", policy.name().name(), rule.span().line()).isPresent();
        ids.add(id.get());
      }
    }
    assertThat(ids).isNotEmpty();
    assertThat(expected).as("rule ids named by `because` in the tests of %s", set).containsAll(ids);
  }

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents", "admin-api"})
  void everyRouteIsRequestedBySomeTest(String set) {
    List<TestItem.RequestSpec> requests = decls(set, Decl.TestDecl.class).stream()
        .flatMap(t -> t.items().stream())
        .filter(TestItem.RequestSpec.class::isInstance)
        .map(TestItem.RequestSpec.class::cast)
        .toList();
    List<Decl.RouteDecl> routes = decls(set, Decl.RouteDecl.class);
    assertThat(routes).isNotEmpty();
    for (Decl.RouteDecl route : routes) {
      assertThat(requests)
          .as("a test requesting %s %s", route.method().name(), route.template().value())
          .anyMatch(r -> matches(route, r));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"banking", "documents", "admin-api"})
  void everyLimitIsDrivenToItsRateByARepeatedTest(String set) {
    List<Decl.RouteDecl> routes = decls(set, Decl.RouteDecl.class);
    Set<String> throttled = new HashSet<>();
    for (Decl.TestDecl test : decls(set, Decl.TestDecl.class)) {
      boolean limited = test.items().stream().anyMatch(i -> i instanceof TestItem.Repeat r
          && r.lastOnly() && r.expectation().outcome() == TestItem.Outcome.RATE_LIMITED);
      if (limited) {
        intentOf(test, routes).ifPresent(throttled::add);
      }
    }
    List<Decl.LimitDecl> limits = decls(set, Decl.LimitDecl.class);
    assertThat(limits).isNotEmpty();
    for (Decl.LimitDecl limit : limits) {
      assertThat(throttled).as("a `repeat … expect last rate_limited` test on intent `%s`",
          limit.intent().value()).contains(limit.intent().value());
    }
  }

  /** The intent of a test's request: from its context, else from the route it requests. */
  private static Optional<String> intentOf(Decl.TestDecl test, List<Decl.RouteDecl> routes) {
    for (TestItem item : test.items()) {
      if (item instanceof TestItem.ContextSpec c
          && c.attrs().get("intent").orElse(null) instanceof dev.verdict.lang.ast.Expr.StringLit s) {
        return Optional.of(s.value());
      }
    }
    for (TestItem item : test.items()) {
      if (item instanceof TestItem.RequestSpec r) {
        for (Decl.RouteDecl route : routes) {
          if (matches(route, r) && route.intent().isPresent()) {
            return Optional.of(route.intent().get().value());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Same method, same number of segments, literal segments equal; `{param}` matches any. */
  private static boolean matches(Decl.RouteDecl route, TestItem.RequestSpec request) {
    if (!route.method().name().equals(request.method().name())) {
      return false;
    }
    String[] template = route.template().value().split("/");
    String[] path = request.path().value().split("/");
    if (template.length != path.length) {
      return false;
    }
    for (int i = 0; i < template.length; i++) {
      boolean param = template[i].startsWith("{") && template[i].endsWith("}");
      if (!param && !template[i].equals(path[i])) {
        return false;
      }
    }
    return true;
  }

  private static List<TestItem.Expectation> expectations(Decl.TestDecl test) {
    List<TestItem.Expectation> out = new ArrayList<>();
    for (TestItem item : test.items()) {
      if (item instanceof TestItem.Expect e) {
        out.add(e.expectation());
      } else if (item instanceof TestItem.Repeat r) {
        out.add(r.expectation());
      }
    }
    return out;
  }

  private static <T extends Decl> List<T> decls(String set, Class<T> kind) {
    CheckResult result = Verdict.check(List.of(Path.of(set)));
    assertThat(result.hasErrors()).as(result.render()).isFalse();
    return result.files().stream()
        .map(PolicyFile::decls)
        .flatMap(List::stream)
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }
}

package dev.verdict.lang.check;

import dev.verdict.lang.route.Route;
import dev.verdict.lang.route.RouteTemplate;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Str;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tests must describe one request completely: a principal, either a resource and an action
 * or a routed {@code request}, and at least one expectation. What they expect must be
 * possible: {@code because} ids of rules that exist, field masks only on an allowed decision,
 * and requests that some route matches.
 */
final class TestPass implements Pass {
  private enum Part { PRINCIPAL, RESOURCE, ACTION, REQUEST, CONTEXT }

  @Override
  public String name() {
    return "tests";
  }

  @Override
  public void run(CheckContext ctx) {
    List<Decl.RouteDecl> routes = new ArrayList<>();
    List<RouteTemplate> templates = new ArrayList<>();
    for (Decl.RouteDecl r : ctx.symbols.routes) {
      RouteTemplate t = RouteTemplate.read(r.template().value());
      if (t.problem().isEmpty()) {
        routes.add(r);
        templates.add(t);
      }
    }
    for (Decl.TestDecl test : ctx.symbols.tests) {
      check(ctx, test, routes, templates);
    }
  }

  private static void check(CheckContext ctx, Decl.TestDecl test, List<Decl.RouteDecl> routes,
      List<RouteTemplate> templates) {
    String name = "test `" + test.name().value() + "`";
    Map<Part, TestItem> first = new EnumMap<>(Part.class);
    boolean expects = false;
    Decl.RouteDecl routed = null;
    for (TestItem item : test.items()) {
      Part part = part(item);
      if (part != null) {
        if (first.containsKey(part)) {
          String word = word(part);
          ctx.report(Code.BAD_TEST, Spans.head(item.span(), word.length()), name + " has a second `" + word + "`",
              "a test asks about one request; move the second `" + word + "` into a test of its own");
        } else {
          first.put(part, item);
        }
      }
      if (item instanceof TestItem.EntitySpec e) {
        checkEntity(ctx, e);
      } else if (item instanceof TestItem.Expect e) {
        expects = true;
        checkExpectation(ctx, e.expectation());
      } else if (item instanceof TestItem.Repeat r) {
        expects = true;
        checkExpectation(ctx, r.expectation());
      } else if (item instanceof TestItem.RequestSpec r) {
        routed = checkRequest(ctx, r, routes, templates);
      }
    }
    Span at = test.name().span();
    // a request through a `@public` route without a principal is the gateway's anonymous one
    boolean anonymous = routed != null && routed.annotations().stream()
        .anyMatch(a -> a.name().name().equals(Route.PUBLIC));
    if (!first.containsKey(Part.PRINCIPAL) && !anonymous) {
      ctx.report(Code.BAD_TEST, at, name + " has no principal",
          "add e.g. `principal { id: \"alice\", roles: [\"user\"] }`");
    }
    TestItem request = first.get(Part.REQUEST);
    if (request != null) {
      // A `resource` beside a `request` only supplies the routed resource's attributes.
      if (first.containsKey(Part.ACTION)) {
        ctx.report(Code.BAD_TEST, Spans.head(first.get(Part.ACTION).span(), word(Part.ACTION).length()),
            name + " has both a `request` and an `action`",
            "a request takes its action from the route it matches; remove the `action`");
      }
    } else {
      if (!first.containsKey(Part.RESOURCE)) {
        ctx.report(Code.BAD_TEST, at, name + " has no resource",
            "add e.g. `resource Account \"a1\"`, or `request GET \"/accounts/a1\"` to go through a route");
      }
      if (!first.containsKey(Part.ACTION)) {
        ctx.report(Code.BAD_TEST, at, name + " has no action", "add e.g. `action read`");
      }
    }
    if (!expects) {
      ctx.report(Code.BAD_TEST, at, name + " expects nothing", "add e.g. `expect allow` or `expect deny`");
    }
  }

  private static Part part(TestItem item) {
    if (item instanceof TestItem.EntitySpec e) {
      return switch (e.role()) {
        case PRINCIPAL -> Part.PRINCIPAL;
        case RESOURCE -> Part.RESOURCE;
        case ENTITY -> null;
      };
    } else if (item instanceof TestItem.ActionSpec) {
      return Part.ACTION;
    } else if (item instanceof TestItem.RequestSpec) {
      return Part.REQUEST;
    } else if (item instanceof TestItem.ContextSpec) {
      return Part.CONTEXT;
    }
    return null;
  }

  private static String word(Part p) {
    return p.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static void checkEntity(CheckContext ctx, TestItem.EntitySpec e) {
    if (e.type().isPresent()) {
      return;
    }
    boolean hasId = e.attrs().flatMap(a -> a.get("id")).isPresent();
    boolean hasType = e.attrs().flatMap(a -> a.get("type")).isPresent();
    String word = e.role().word();
    if (e.role() == TestItem.EntityRole.PRINCIPAL) {
      if (!hasId) {
        ctx.report(Code.BAD_TEST, Spans.head(e.span(), word.length()), "principal has no id",
            "write `principal User \"alice\"`, or add `id: \"alice\"` to its attributes");
      }
    } else if (!hasId || !hasType) {
      String example = e.role() == TestItem.EntityRole.RESOURCE ? "Account \"a1\"" : "Group \"admins\"";
      ctx.report(Code.BAD_TEST, Spans.head(e.span(), word.length()), word + " has no type and id",
          "write e.g. `" + word + " " + example + "`");
    }
  }

  /**
   * Whether {@code id} is {@code template#link} for a template of the set: links are data (their
   * files are not the checker's input), so whether the link exists is the test run's to say.
   */
  private static boolean namesALink(CheckContext ctx, String id) {
    for (int i = id.indexOf('#'); i > 0; i = id.indexOf('#', i + 1)) {
      String template = id.substring(0, i);
      for (dev.verdict.lang.ast.PolicyFile f : ctx.files) {
        for (dev.verdict.lang.ast.Decl d : f.decls()) {
          if (d instanceof dev.verdict.lang.ast.Decl.PolicyDecl p && p.rules().stream()
              .anyMatch(r -> r.isTemplate() && r.id(p.name().name()).equals(template))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void checkExpectation(CheckContext ctx, TestItem.Expectation x) {
    Set<String> ids = ctx.symbols.ruleIds.keySet();
    for (Str id : x.because()) {
      if (!ids.contains(id.value()) && !namesALink(ctx, id.value())) {
        String help = Suggestions.didYouMean(id.value(), ids)
            .orElse("name a rule by its `@id`, or by `policy:line` when it has none");
        ctx.report(Code.BAD_TEST, id.span(), "no rule has the id `" + id.value() + "`", help);
      }
    }
    for (TestItem.FieldExpect f : x.fields()) {
      if (x.outcome() != TestItem.Outcome.ALLOW) {
        ctx.report(Code.BAD_TEST, Spans.head(f.span(), "fields".length()),
            "field expectations need `expect allow`, not `" + x.outcome().word() + "`",
            "fields are masked only on an allowed decision; remove the `fields` part or expect `allow`");
      }
      for (TestItem.FieldExpectEntry entry : f.entries()) {
        FieldEffectPass.check(ctx, f.access(), entry.effect());
      }
    }
  }

  /** The route the request matches, or null (reported). */
  private static Decl.RouteDecl checkRequest(CheckContext ctx, TestItem.RequestSpec r, List<Decl.RouteDecl> routes,
      List<RouteTemplate> templates) {
    if (!RoutePass.checkMethod(ctx, r.method())) {
      return null;
    }
    String method = r.method().name();
    String path = r.path().value();
    Optional<List<String>> segments = RouteTemplate.pathSegments(path);
    if (segments.isEmpty()) {
      ctx.report(Code.UNROUTED_TEST_REQUEST, r.path().span(), "no route matches `" + method + " " + path + "`",
          "a request path starts with `/`");
      return null;
    }
    Set<String> otherMethods = new LinkedHashSet<>();
    for (int i = 0; i < templates.size(); i++) {
      if (templates.get(i).matches(segments.get())) {
        String m = routes.get(i).method().name();
        if (m.equals(method)) {
          return routes.get(i);
        }
        otherMethods.add("`" + m + "`");
      }
    }
    String help = otherMethods.isEmpty()
        ? "add a `route` for it, or correct the path"
        : "`" + path + "` is routed for " + String.join(", ", otherMethods) + " only";
    ctx.report(Code.UNROUTED_TEST_REQUEST, r.path().span(), "no route matches `" + method + " " + path + "`", help);
    return null;
  }
}

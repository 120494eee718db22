package dev.verdict.lang.check;

import dev.verdict.lang.route.RouteTemplate;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Routes: the method, the template's shape, the {@code [id]} parameter, and overlaps. A
 * request must match at most one route; two that can match the same path make the decision
 * depend on declaration order, which a reader of the policy cannot see.
 */
final class RoutePass implements Pass {
  static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final Set<String> METHOD_SET = Set.copyOf(METHODS);

  @Override
  public String name() {
    return "routes";
  }

  @Override
  public void run(CheckContext ctx) {
    List<Decl.RouteDecl> valid = new ArrayList<>();
    List<RouteOverlaps.Route> shapes = new ArrayList<>();
    for (Decl.RouteDecl r : ctx.symbols.routes) {
      boolean methodOk = checkMethod(ctx, r.method());
      RouteTemplate t = RouteTemplate.read(r.template().value());
      if (t.problem().isPresent()) {
        RouteTemplate.Problem p = t.problem().get();
        ctx.report(Code.BAD_ROUTE_TEMPLATE, Spans.inside(r.template(), p.from(), p.to()), p.message(), p.help());
        continue;
      }
      r.idParam().ifPresent(id -> checkParam(ctx, id, t));
      r.fixedId().filter(id -> id.value().isEmpty()).ifPresent(id -> ctx.report(Code.BAD_FIXED_ROUTE_ID, id.span(),
          "a route's fixed id is empty", "name the resource: `" + r.resourceType().name() + "[\"session\"]`, or use"
              + " `[route]` for the template as the id"));
      if (methodOk) {
        valid.add(r);
        shapes.add(new RouteOverlaps.Route(r.method().name(), t.segments()));
      }
    }
    int[] overlaps = RouteOverlaps.earliestOverlaps(shapes);
    for (int i = 0; i < overlaps.length; i++) {
      if (overlaps[i] < 0) {
        continue;
      }
      Decl.RouteDecl later = valid.get(i);
      Decl.RouteDecl earlier = valid.get(overlaps[i]);
      String path = RouteOverlaps.witness(shapes.get(i).segments(), shapes.get(overlaps[i]).segments());
      ctx.report(Diagnostic.of(Code.OVERLAPPING_ROUTES, later.template().span(),
              "route `" + show(later) + "` overlaps `" + show(earlier) + "`",
              "both match `" + later.method().name() + " " + path + "`; a request must match one route only, so make the templates differ")
          .withRelated(earlier.template().span(), "overlapping route defined here"));
    }
  }

  static String show(Decl.RouteDecl r) {
    return r.method().name() + " " + r.template().value();
  }

  /** Reports a method that is not one of {@link #METHODS}; true when it is fine. */
  static boolean checkMethod(CheckContext ctx, Ident method) {
    if (METHOD_SET.contains(method.name())) {
      return true;
    }
    String upper = method.name().toUpperCase(Locale.ROOT);
    String help = METHOD_SET.contains(upper) ? "methods are written in capitals: `" + upper + "`"
        : "use one of " + String.join(", ", METHODS);
    ctx.report(Code.BAD_METHOD, method.span(), "invalid HTTP method `" + method.name() + "`", help);
    return false;
  }

  private static void checkParam(CheckContext ctx, Ident id, RouteTemplate t) {
    List<String> params = t.paramNames();
    if (params.contains(id.name()) || id.name().equals(Decl.RouteDecl.TEMPLATE_ID)) {
      return;
    }
    String fixed = "; for a fixed id, quote it: `[\"" + id.name() + "\"]`";
    String help = Suggestions.didYouMean(id.name(), params).orElse(params.isEmpty()
        ? "the template has no parameters; add `{" + id.name() + "}` to it, leave out `[" + id.name()
            + "]` for a collection route" + fixed
        : "the template's parameters are " + quoted(params) + fixed);
    ctx.report(Code.UNKNOWN_ROUTE_PARAM, id.span(), "route parameter `" + id.name() + "` is not in the template", help);
  }

  private static String quoted(List<String> names) {
    List<String> q = new ArrayList<>();
    names.forEach(n -> q.add("`" + n + "`"));
    return String.join(", ", q);
  }
}

package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.Exprs;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Collection routes ({@code -> Post.list}, no {@code [id]}) ask about a resource type, not a
 * resource: the resource has its type, an empty id and no attributes. A rule that can decide
 * such a route (its policy on the route's type or on {@code *}, its actions covering the
 * route's action) and reads an attribute of {@code resource} can never read it there, so a
 * {@code permit} never applies and a {@code forbid} always does. Reads guarded by
 * {@code resource has attr} in the same rule are fine: the guard is false there.
 */
final class CollectionRoutePass implements Pass {
  /** Built-in attributes every resource has, also without an id. */
  private static final Set<String> BUILT_IN = Set.of("id", "type", "roles");

  @Override
  public String name() {
    return "collection routes";
  }

  @Override
  public void run(CheckContext ctx) {
    List<Decl.RouteDecl> collections = new ArrayList<>();
    for (Decl.RouteDecl r : ctx.symbols.routes) {
      if (r.isCollection()) {
        collections.add(r);
      }
    }
    if (collections.isEmpty()) {
      return;
    }
    for (SymbolTable.RuleRef ref : ctx.symbols.rules) {
      firstReaching(ctx, ref, collections).ifPresent(route -> checkRule(ctx, ref.rule(), route));
    }
  }

  /** The first collection route the rule can decide, if any. */
  private static Optional<Decl.RouteDecl> firstReaching(CheckContext ctx, SymbolTable.RuleRef ref,
      List<Decl.RouteDecl> collections) {
    Optional<String> type = ref.policy().resourceType().map(Ident::name);
    Set<String> actions = ref.rule().anyAction() ? Set.of() : ctx.actionGroups.expand(ref.rule().actions());
    for (Decl.RouteDecl route : collections) {
      boolean typeMatches = type.isEmpty() || type.get().equals(route.resourceType().name());
      boolean actionMatches = ref.rule().anyAction() || actions.contains(route.action().name());
      if (typeMatches && actionMatches) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  private static void checkRule(CheckContext ctx, PolicyMember.Rule rule, Decl.RouteDecl route) {
    List<Expr> roots = new ArrayList<>();
    rule.conditions().forEach(c -> roots.add(c.expr()));
    Set<String> guarded = new HashSet<>();
    List<Expr> reads = new ArrayList<>();
    collect(roots, guarded, reads);
    for (Ident role : rule.roles()) {
      Decl.RoleDecl derived = ctx.symbols.derivedRoles.get(role.name());
      if (derived != null) {
        firstRead(List.of(derived.condition())).ifPresent(read -> ctx.report(Diagnostic.of(
                Code.COLLECTION_RESOURCE_ATTRIBUTE, role.span(),
                "role `" + role.name() + "` never holds on the collection route `" + RoutePass.show(route)
                    + "`: it reads `" + shown(read) + "`",
                "a route without `[id]` asks about the type, so the resource has no attributes; give `"
                    + route.action().name() + "` a rule whose roles and conditions read only `principal` and `context`")
            .withRelated(route.span(), "collection route defined here")));
      }
    }
    Set<String> reported = new HashSet<>();
    for (Expr read : reads) {
      String attr = read instanceof Expr.GetAttr g ? g.attr().name() : null;
      if ((attr != null && guarded.contains(attr)) || !reported.add(attr == null ? "[]" : attr)) {
        continue;
      }
      String shown = shown(read);
      String outcome = rule.effect() == PolicyMember.Effect.PERMIT
          ? "this `permit` never applies there" : "this `forbid` always applies there, denying every request";
      ctx.report(Diagnostic.of(Code.COLLECTION_RESOURCE_ATTRIBUTE, read.span(),
              "`" + shown + "` cannot be read on the collection route `" + RoutePass.show(route) + "`",
              "a route without `[id]` asks about the type, so the resource has no attributes and " + outcome
                  + "; give `" + route.action().name() + "` a rule that reads only `principal` and `context`"
                  + (attr == null ? "" : ", or guard the read with `resource has " + attr + "`"))
          .withRelated(route.span(), "collection route defined here"));
    }
  }

  /** The first unguarded read of a resource attribute in {@code roots}, if any. */
  private static Optional<Expr> firstRead(List<Expr> roots) {
    Set<String> guarded = new HashSet<>();
    List<Expr> reads = new ArrayList<>();
    collect(roots, guarded, reads);
    return reads.stream().filter(r -> !(r instanceof Expr.GetAttr g && guarded.contains(g.attr().name()))).findFirst();
  }

  /** The resource attributes {@code roots} guard with `has`, and the reads of resource attributes. */
  private static void collect(List<Expr> roots, Set<String> guarded, List<Expr> reads) {
    for (Expr root : roots) {
      for (Expr e : Exprs.all(root)) {
        if (e instanceof Expr.Has h && isResource(h.target())) {
          guarded.add(h.attr().name());
        } else if (e instanceof Expr.GetAttr g && isResource(g.target()) && !BUILT_IN.contains(g.attr().name())) {
          reads.add(g);
        } else if (e instanceof Expr.Index i && isResource(i.target())) {
          reads.add(i);
        }
      }
    }
  }

  private static String shown(Expr read) {
    return read instanceof Expr.GetAttr g ? "resource." + g.attr().name() : "resource[…]";
  }

  private static boolean isResource(Expr e) {
    return e instanceof Expr.Var v && v.kind() == Expr.VarKind.RESOURCE;
  }
}

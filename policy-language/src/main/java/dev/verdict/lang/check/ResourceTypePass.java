package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.Exprs;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.source.Code;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Entity type names. Known types are the declared entity types, the types policies and
 * derived roles are {@code on}, and the principal's default type {@code User}, which exists
 * whether or not a schema declares it. Routes,
 * tests, {@code is} tests and entity literals must use known types. Once a schema declares
 * entity types, the {@code on} types of policies and roles must be declared as well.
 */
final class ResourceTypePass implements Pass {
  static final String DEFAULT_PRINCIPAL_TYPE = "User";

  @Override
  public String name() {
    return "resource types";
  }

  @Override
  public void run(CheckContext ctx) {
    SymbolTable s = ctx.symbols;
    boolean schema = !s.entities.isEmpty();
    Set<String> known = new LinkedHashSet<>(s.entities.keySet());
    known.add(DEFAULT_PRINCIPAL_TYPE);
    Set<String> onTypes = new LinkedHashSet<>();
    s.allPolicies.forEach(p -> p.resourceType().ifPresent(t -> onTypes.add(t.name())));
    s.derivedRoles.values().forEach(r -> r.resourceType().ifPresent(t -> onTypes.add(t.name())));
    if (schema) {
      for (Decl d : s.decls) {
        Optional<Ident> on = Optional.empty();
        if (d instanceof Decl.PolicyDecl p) {
          on = p.resourceType();
        } else if (d instanceof Decl.RoleDecl r) {
          on = r.resourceType();
        }
        on.ifPresent(t -> check(ctx, t, known));
      }
    }
    known.addAll(onTypes);
    for (Decl d : s.decls) {
      if (d instanceof Decl.RouteDecl r) {
        check(ctx, r.resourceType(), known);
      } else if (d instanceof Decl.TestDecl t) {
        for (TestItem item : t.items()) {
          if (item instanceof TestItem.EntitySpec e) {
            e.type().ifPresent(type -> check(ctx, type, known));
            e.parents().forEach(p -> check(ctx, p.type(), known));
          }
        }
      }
      for (Expr root : Exprs.roots(d)) {
        for (Expr e : Exprs.all(root)) {
          if (e instanceof Expr.Is is) {
            check(ctx, is.type(), known);
          } else if (e instanceof Expr.EntityLit lit) {
            check(ctx, lit.type(), known);
          }
        }
      }
    }
  }

  private static void check(CheckContext ctx, Ident type, Set<String> known) {
    if (known.contains(type.name())) {
      return;
    }
    String help = Suggestions.didYouMean(type.name(), known).orElse("declare it with `entity " + type.name() + "`");
    ctx.report(Code.UNKNOWN_TYPE, type.span(), "unknown entity type `" + type.name() + "`", help);
  }
}

package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.Exprs;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Entity type names. Known types are the declared entity types, the types policies and
 * derived roles are {@code on}, and the principal's default type {@code User}, which exists
 * whether or not a schema declares it. Routes and tests' principals and resources must use
 * known types; {@code is} tests, entity literals and other test entities may name types only
 * requests and data carry, and are reported only when they look like a misspelt known type.
 * Once a schema declares entity types, the {@code on} types of policies and roles must be
 * declared as well.
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
            boolean subject = e.role() != TestItem.EntityRole.ENTITY;
            e.type().ifPresent(type -> check(ctx, type, known, subject));
            e.parents().forEach(p -> check(ctx, p.type(), known, false));
          }
        }
      }
      for (Expr root : Exprs.roots(d)) {
        for (Expr e : Exprs.all(root)) {
          if (e instanceof Expr.Is is) {
            check(ctx, is.type(), known, false);
          } else if (e instanceof Expr.EntityLit lit) {
            check(ctx, lit.type(), known, false);
          }
        }
      }
    }
  }

  private static void check(CheckContext ctx, Ident type, Set<String> known) {
    check(ctx, type, known, true);
  }

  /**
   * A type no declaration or policy names is an error where a policy must be about it
   * ({@code strict}: routes, a test's principal and resource). Elsewhere (entity literals,
   * {@code is}, a test's other entities and parents) it may be a type that only requests and
   * data carry, such as {@code Group}; there it is reported only when it looks like a typo of a
   * known type.
   */
  private static void check(CheckContext ctx, Ident type, Set<String> known, boolean strict) {
    if (known.contains(type.name())) {
      return;
    }
    // a namespace no declared type is in: a policy's `on` declares none
    Optional<Diagnostic> ns = Namespaces.unknown(type.span(), type.name(), ctx.symbols.entities.keySet(), strict);
    if (ns.isPresent()) {
      ctx.report(ns.get());
      return;
    }
    if (!strict && Suggestions.didYouMean(type.name(), known).isEmpty()) {
      return;
    }
    String help = Suggestions.didYouMean(type.name(), known).orElse("declare it with `entity " + type.name() + "`");
    ctx.report(Code.UNKNOWN_TYPE, type.span(), "unknown entity type `" + type.name() + "`", help);
  }
}

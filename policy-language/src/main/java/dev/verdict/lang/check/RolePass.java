package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.util.Optional;

/**
 * Roles named in {@code to …} and in field conditions. A derived role must be used on the
 * resource type it is defined on. Other names are plain roles from {@code principal.roles};
 * once the set declares plain roles ({@code role admin, auditor}) every one must be declared,
 * which is how misspelt roles are caught. Without such a declaration any name is accepted.
 */
final class RolePass implements Pass {
  @Override
  public String name() {
    return "roles";
  }

  @Override
  public void run(CheckContext ctx) {
    for (Decl.PolicyDecl p : ctx.symbols.allPolicies) {
      for (PolicyMember m : p.members()) {
        if (m instanceof PolicyMember.Rule r) {
          r.roles().forEach(role -> check(ctx, p, role));
        } else if (m instanceof PolicyMember.FieldsBlock fb) {
          for (PolicyMember.FieldRule fr : fb.rules()) {
            for (PolicyMember.FieldCondition c : fr.conditions()) {
              if (c instanceof PolicyMember.FieldCondition.Roles roles) {
                roles.roles().forEach(role -> check(ctx, p, role));
              }
            }
          }
        }
      }
    }
  }

  private static void check(CheckContext ctx, Decl.PolicyDecl policy, Ident role) {
    SymbolTable s = ctx.symbols;
    Decl.RoleDecl derived = s.derivedRoles.get(role.name());
    if (derived != null) {
      Optional<Ident> defined = derived.resourceType();
      // In a policy `on *`, a role defined on one type simply holds for that type only.
      if (defined.isPresent() && policy.resourceType().isPresent()
          && !defined.get().name().equals(policy.resourceType().get().name())) {
        String on = defined.get().name();
        // A warning, not an error: the set is still correct, the role just never holds here.
        String message = "role `" + role.name() + "` is defined on `" + on + "`, so it never holds in policy `"
            + policy.name().name() + "` on `" + policy.resourceType().get().name() + "`";
        ctx.report(Diagnostic.of(Code.SHADOWED_RULE, role.span(), message,
                "use it in a policy on `" + on + "`, or define the role `on *`")
            .withRelated(derived.name().span(), "role defined here"));
      }
      return;
    }
    if (s.plainRoles.isEmpty() || s.plainRoles.containsKey(role.name())) {
      return;
    }
    String help = Suggestions.didYouMean(role.name(), s.roleNames())
        .orElse("declare it with `role " + role.name() + "`, or define it as a derived role");
    ctx.report(Code.UNKNOWN_ROLE, role.span(), "unknown role `" + role.name() + "`", help);
  }
}

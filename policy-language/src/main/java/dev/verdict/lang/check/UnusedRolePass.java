package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import java.util.HashSet;
import java.util.Set;

/**
 * A derived role that no rule's {@code to} and no field rule's condition names is dead code:
 * its condition is never evaluated, and most often a rule misspells it (a warning, since the
 * set still means what it says). Plain roles are not reported: they describe what callers
 * carry in {@code principal.roles}, which tests and other policy sets may rely on.
 */
final class UnusedRolePass implements Pass {
  @Override
  public String name() {
    return "unused roles";
  }

  @Override
  public void run(CheckContext ctx) {
    Set<String> used = new HashSet<>();
    for (Decl.PolicyDecl p : ctx.symbols.allPolicies) {
      for (PolicyMember m : p.members()) {
        if (m instanceof PolicyMember.Rule r) {
          r.roles().forEach(role -> used.add(role.name()));
        } else if (m instanceof PolicyMember.FieldsBlock fb) {
          for (PolicyMember.FieldRule fr : fb.rules()) {
            for (PolicyMember.FieldCondition c : fr.conditions()) {
              if (c instanceof PolicyMember.FieldCondition.Roles roles) {
                roles.roles().forEach(role -> used.add(role.name()));
              }
            }
          }
        }
      }
    }
    for (Decl.RoleDecl role : ctx.symbols.derivedRoles.values()) {
      Ident name = role.name();
      if (!used.contains(name.name())) {
        ctx.report(Code.UNUSED_ROLE, name.span(), "role `" + name.name() + "` is never used",
            "name it in a rule's `to` or in a field rule's condition, or remove it");
      }
    }
  }
}

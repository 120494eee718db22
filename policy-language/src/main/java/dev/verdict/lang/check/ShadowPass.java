package dev.verdict.lang.check;

import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Warns about a {@code permit} that can never apply because a {@code forbid} without
 * conditions always applies where it does: on the same resource type (or a forbid in a
 * policy {@code on *}), for all of its actions (groups expanded; {@code *} covers all), and
 * for all of its principals (a forbid without {@code to}, or with a superset of its roles).
 * Only unconditional forbids can shadow, so they are indexed first and permits compared
 * with those of their own type and of {@code *}.
 */
final class ShadowPass implements Pass {
  private static final String ANY = "*";

  @Override
  public String name() {
    return "shadowed rules";
  }

  @Override
  public void run(CheckContext ctx) {
    Map<String, List<SymbolTable.RuleRef>> forbids = new HashMap<>();
    for (SymbolTable.RuleRef r : ctx.symbols.rules) {
      // a template's slots are conditions too: it never forbids everything
      if (r.rule().effect() == PolicyMember.Effect.FORBID && r.rule().conditions().isEmpty() && !r.rule().isTemplate()) {
        forbids.computeIfAbsent(type(r), k -> new ArrayList<>()).add(r);
      }
    }
    if (forbids.isEmpty()) {
      return;
    }
    for (SymbolTable.RuleRef permit : ctx.symbols.rules) {
      if (permit.rule().effect() != PolicyMember.Effect.PERMIT) {
        continue;
      }
      List<SymbolTable.RuleRef> candidates = new ArrayList<>(forbids.getOrDefault(ANY, List.of()));
      if (!type(permit).equals(ANY)) {
        candidates.addAll(forbids.getOrDefault(type(permit), List.of()));
      }
      for (SymbolTable.RuleRef forbid : candidates) {
        if (coversActions(ctx, forbid.rule(), permit.rule()) && coversRoles(forbid.rule(), permit.rule())) {
          ctx.report(Diagnostic.of(Code.SHADOWED_RULE, ctx.ruleHead(permit.rule()),
                  "this `permit` can never apply: an unconditional `forbid` covers it",
                  "the `forbid` has no condition and covers the same actions and principals; "
                      + "give it a `when`/`unless`, or remove the `permit`")
              .withRelated(ctx.ruleHead(forbid.rule()), "always forbidden by this rule"));
          break;
        }
      }
    }
  }

  private static String type(SymbolTable.RuleRef r) {
    Optional<Ident> t = r.policy().resourceType();
    return t.map(Ident::name).orElse(ANY);
  }

  private static boolean coversActions(CheckContext ctx, PolicyMember.Rule forbid, PolicyMember.Rule permit) {
    if (forbid.anyAction()) {
      return true;
    }
    if (permit.anyAction()) {
      return false;
    }
    return ctx.actionGroups.expand(forbid.actions()).containsAll(ctx.actionGroups.expand(permit.actions()));
  }

  private static boolean coversRoles(PolicyMember.Rule forbid, PolicyMember.Rule permit) {
    if (forbid.roles().isEmpty()) {
      return true;
    }
    if (permit.roles().isEmpty()) {
      return false;
    }
    Set<String> forbidden = new HashSet<>();
    forbid.roles().forEach(r -> forbidden.add(r.name()));
    for (Ident r : permit.roles()) {
      if (!forbidden.contains(r.name())) {
        return false;
      }
    }
    return true;
  }
}

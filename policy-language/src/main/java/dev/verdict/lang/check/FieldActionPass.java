package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The actions of {@code fields read on read, list { … }}. An action no rule names is a typo
 * (V0303). An action no permit allows on the block's resource type is reported too (V0704):
 * field rules apply to allowed decisions only, so that block would never mask anything.
 */
final class FieldActionPass implements Pass {
  @Override
  public String name() {
    return "field block actions";
  }

  @Override
  public void run(CheckContext ctx) {
    Set<String> known = new LinkedHashSet<>(ctx.symbols.ruleActions);
    for (Decl.ActionGroupDecl g : ctx.symbols.actionGroups.values()) {
      known.add(g.name().name());
      g.members().forEach(m -> known.add(m.name()));
    }
    ActionGroups groups = new ActionGroups(ctx.symbols.actionGroups);
    for (Decl.PolicyDecl p : ctx.symbols.allPolicies) {
      String type = p.resourceType().map(Ident::name).orElse(null);
      Set<String> permitted = null; // computed for the first block with `on`
      for (PolicyMember.FieldsBlock block : p.fieldBlocks()) {
        for (Ident action : block.actions()) {
          if (!known.contains(action.name())) {
            String help = Suggestions.didYouMean(action.name(), known)
                .orElse("no rule names this action; a field block names actions that rules permit");
            ctx.report(Code.UNKNOWN_ACTION, action.span(), "unknown action `" + action.name() + "`", help);
            continue;
          }
          permitted = permitted != null ? permitted : permitted(ctx, groups, type);
          if (permitted.contains("*")) {
            continue;
          }
          Set<String> covered = groups.expand(List.of(action));
          if (covered.stream().noneMatch(permitted::contains)) {
            ctx.report(Code.FIELD_ACTION_NEVER_ALLOWED, action.span(),
                "no permit allows `" + action.name() + "` on " + (type == null ? "any type" : "`" + type + "`"),
                "field rules apply to allowed decisions only; permit the action, or name one that is permitted");
          }
        }
      }
    }
  }

  /**
   * The plain actions some permit may allow on {@code type} (null: a policy on any type, which
   * may meet a permit of any type), or {@code *} when a {@code permit *} may.
   */
  private static Set<String> permitted(CheckContext ctx, ActionGroups groups, String type) {
    Set<String> out = new HashSet<>();
    for (SymbolTable.RuleRef r : ctx.symbols.rules) {
      if (r.rule().effect() != PolicyMember.Effect.PERMIT) {
        continue;
      }
      String ruleType = r.policy().resourceType().map(Ident::name).orElse(null);
      if (type != null && ruleType != null && !ruleType.equals(type)) {
        continue;
      }
      if (r.rule().anyAction()) {
        out.add("*");
      } else {
        out.addAll(groups.expand(r.rule().actions()));
      }
    }
    return out;
  }
}

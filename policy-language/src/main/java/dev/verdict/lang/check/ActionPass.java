package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.source.Code;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Actions. The known actions are those some rule names, plus action groups and their
 * members (a group may predeclare actions no rule uses yet). A route or a test naming any
 * other action can never be allowed, which is almost always a typo, unless a {@code permit *}
 * covers its resource type: then it may be allowed, as {@code eval} shows. Groups must not
 * contain themselves, directly or through other groups.
 */
final class ActionPass implements Pass {
  @Override
  public String name() {
    return "actions";
  }

  @Override
  public void run(CheckContext ctx) {
    Set<String> known = new LinkedHashSet<>(ctx.symbols.ruleActions);
    for (Decl.ActionGroupDecl g : ctx.symbols.actionGroups.values()) {
      known.add(g.name().name());
      g.members().forEach(m -> known.add(m.name()));
    }
    known.addAll(ctx.symbols.actionShapes.keySet());
    Set<String> anyActionTypes = anyActionTypes(ctx);
    for (Decl.RouteDecl r : ctx.symbols.routes) {
      if (!permitsAnyAction(anyActionTypes, r.resourceType().name())) {
        check(ctx, r.action(), known);
      }
    }
    for (Decl.TestDecl t : ctx.symbols.tests) {
      String type = resourceType(t);
      for (TestItem item : t.items()) {
        if (item instanceof TestItem.ActionSpec a && !permitsAnyAction(anyActionTypes, type)) {
          check(ctx, a.action(), known);
        }
      }
    }
    // `action in write`: the bare name must be an action or a group.
    for (dev.verdict.lang.ast.PolicyFile f : ctx.files) {
      for (Decl d : f.decls()) {
        for (dev.verdict.lang.ast.Expr root : dev.verdict.lang.ast.Exprs.roots(d)) {
          for (dev.verdict.lang.ast.Expr e : dev.verdict.lang.ast.Exprs.all(root)) {
            if (e instanceof dev.verdict.lang.ast.Expr.NameRef n) {
              check(ctx, n.name(), known);
            }
          }
        }
      }
    }
    cycles(ctx);
  }

  /** The resource types some {@code permit *} rule is on ({@code *} for a policy on any type). */
  private static Set<String> anyActionTypes(CheckContext ctx) {
    Set<String> out = new LinkedHashSet<>();
    for (SymbolTable.RuleRef r : ctx.symbols.rules) {
      if (r.rule().anyAction() && r.rule().effect() == dev.verdict.lang.ast.PolicyMember.Effect.PERMIT) {
        out.add(r.policy().resourceType().map(Ident::name).orElse("*"));
      }
    }
    return out;
  }

  /** Whether a `permit *` may allow any action on {@code type} (null: a type the test leaves open). */
  private static boolean permitsAnyAction(Set<String> anyActionTypes, String type) {
    return anyActionTypes.contains("*") || (type == null ? !anyActionTypes.isEmpty() : anyActionTypes.contains(type));
  }

  /** The type of a test's resource when it names one. */
  private static String resourceType(Decl.TestDecl t) {
    for (TestItem item : t.items()) {
      if (item instanceof TestItem.EntitySpec e && e.role() == TestItem.EntityRole.RESOURCE) {
        return e.type().map(Ident::name).orElse(null);
      }
    }
    return null;
  }

  private static void check(CheckContext ctx, Ident action, Set<String> known) {
    if (known.contains(action.name())) {
      return;
    }
    String help = Suggestions.didYouMean(action.name(), known)
        .orElse("no rule names this action; name it in a rule, or in an `actions` group to declare it");
    ctx.report(Code.UNKNOWN_ACTION, action.span(), "unknown action `" + action.name() + "`", help);
  }

  /**
   * One report per cycle found by a depth-first walk (iterative, so a long chain of groups
   * cannot overflow the stack): the member that leads back to a group still being walked.
   */
  private static void cycles(CheckContext ctx) {
    Map<String, Decl.ActionGroupDecl> groups = ctx.symbols.actionGroups;
    Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
    for (String start : groups.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      List<String> path = new ArrayList<>();
      List<Integer> next = new ArrayList<>();
      path.add(start);
      next.add(0);
      state.put(start, 1);
      while (!path.isEmpty()) {
        int top = path.size() - 1;
        String g = path.get(top);
        List<Ident> members = groups.get(g).members();
        int i = next.get(top);
        if (i == members.size()) {
          state.put(g, 2);
          path.remove(top);
          next.remove(top);
          continue;
        }
        next.set(top, i + 1);
        Ident m = members.get(i);
        if (!groups.containsKey(m.name())) {
          continue;
        }
        Integer s = state.get(m.name());
        if (s == null) {
          state.put(m.name(), 1);
          path.add(m.name());
          next.add(0);
        } else if (s == 1) {
          List<String> cycle = new ArrayList<>(path.subList(path.indexOf(m.name()), path.size()));
          cycle.add(m.name());
          StringBuilder shown = new StringBuilder();
          for (String c : cycle) {
            shown.append(shown.length() == 0 ? "" : " -> ").append('`').append(c).append('`');
          }
          ctx.report(Code.ACTION_GROUP_CYCLE, m.span(),
              "action group `" + m.name() + "` contains itself: " + shown,
              "a group lists actions and smaller groups; remove `" + m.name() + "` from `" + g + "`");
        }
      }
    }
  }
}

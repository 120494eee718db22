package dev.verdict.lang.eval;

import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.Slot;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.link.Link;
import java.util.Set;

/**
 * A template, planned: the rule without its slot conditions ({@code rule}, which never decides by
 * itself), where it applies ({@code type} null for {@code on *}, {@code actions} null for
 * {@code *}) and its slots. {@link #link} makes the rule of one link.
 */
record CompiledTemplate(String type, Set<String> actions, CompiledRule rule, Slot principal, Slot resource) {

  /**
   * The rule a link makes: the slot conditions with the link's entities, then the template's own
   * conditions (shared, planned once). Its id is {@code template#link}.
   */
  LinkedRule link(Link link) {
    int slots = (principal == null ? 0 : 1) + (resource == null ? 0 : 1);
    Node[] conditions = new Node[slots + rule.conditions.length];
    boolean[] when = new boolean[conditions.length];
    int i = 0;
    if (principal != null) {
      when[i] = true;
      conditions[i++] = slotTest(principal, link.slots().get("principal"));
    }
    if (resource != null) {
      when[i] = true;
      conditions[i++] = slotTest(resource, link.slots().get("resource"));
    }
    System.arraycopy(rule.conditions, 0, conditions, i, rule.conditions.length);
    System.arraycopy(rule.when, 0, when, i, rule.when.length);
    CompiledRule r = new CompiledRule(link.ruleId(), rule.order, rule.forbid, rule.span, rule.roles, rule.derivedRoles,
        conditions, when, rule.annotations);
    // The index looks links up by the value of one slot: `==` before `in` (one lookup instead of
    // a walk up the hierarchy), the resource before the principal (resources outnumber principals).
    Slot key = keySlot();
    return new LinkedRule(type, actions, r, key.var(), key.in(), link.slots().get(key.name()));
  }

  Slot keySlot() {
    if (resource != null && !resource.in()) {
      return resource;
    }
    if (principal != null && !principal.in()) {
      return principal;
    }
    return resource != null ? resource : principal;
  }

  private static Node slotTest(Slot slot, EntityUid value) {
    Node variable = slot.var() == Expr.VarKind.PRINCIPAL ? new Nodes.PrincipalVar(slot.span()) : new Nodes.ResourceVar(slot.span());
    String text = slot.name() + (slot.in() ? " in " : " == ") + value;
    Node constant = new Nodes.Const(new Value.Entity(value), slot.span(), value.toString());
    return slot.in() ? new Nodes.In(variable, constant, slot.span(), text)
        : new Nodes.Eq(variable, constant, false, slot.span(), text);
  }

  /**
   * A link's rule with where it applies and its index key: the rule can only apply when
   * {@code var} is {@code key} ({@code in}: {@code key} or one of its descendants).
   */
  record LinkedRule(String type, Set<String> actions, CompiledRule rule, Expr.VarKind var, boolean in, EntityUid key) {}
}

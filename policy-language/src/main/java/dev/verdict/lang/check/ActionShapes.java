package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.types.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code action NAME { … }} declarations mean to the checker: the context a rule sees
 * (the global one plus what every one of its actions carries), the principal and resource
 * types its actions agree on, and rules or routes that bind an action to a resource type it
 * does not apply to. An attribute is required for a rule only when every action of the rule
 * requires it; otherwise it needs a {@code has} guard.
 */
final class ActionShapes {
  /** What a rule's actions have in common: one principal or resource type when they agree on it. */
  record Common(Optional<String> principal, Optional<String> resource, Type.Record context) {}

  private final Schema schema;
  private final ActionGroups groups;
  private final List<Diagnostic> out;
  private final Type.Record anyActionContext;

  ActionShapes(Schema schema, ActionGroups groups, List<Diagnostic> out) {
    this.schema = schema;
    this.groups = groups;
    this.out = out;
    this.anyActionContext = anyActionContext(schema);
  }

  /**
   * The context of a rule that may apply to any action: the global one, plus every action's
   * own attributes as optional ones (whichever action it is, such an attribute may be absent).
   */
  Type.Record anyActionContext() {
    return anyActionContext;
  }

  private static Type.Record anyActionContext(Schema schema) {
    Type.Record global = schema.context();
    if (schema.actions().isEmpty() || global.open()) {
      return global;
    }
    Map<String, Type.Attr> attrs = new LinkedHashMap<>(global.attrs());
    Map<String, Type> added = new LinkedHashMap<>();
    for (Schema.ActionShape shape : schema.actions().values()) {
      shape.context().attrs().forEach((name, a) -> {
        if (!global.attrs().containsKey(name)) {
          added.merge(name, a.type(), Type::join);
        }
      });
    }
    added.forEach((name, t) -> attrs.put(name, new Type.Attr(t, true)));
    return Type.Record.closed(attrs);
  }

  /** What {@code actions} (groups expanded) have in common; empty unless every one declares its shape. */
  Optional<Common> common(List<Ident> actions) {
    if (schema.actions().isEmpty()) {
      return Optional.empty();
    }
    Set<String> leaves = groups.expand(actions);
    List<Schema.ActionShape> shapes = new ArrayList<>();
    for (String a : leaves) {
      Optional<Schema.ActionShape> s = schema.action(a);
      if (s.isEmpty()) {
        return Optional.empty();
      }
      shapes.add(s.get());
    }
    if (shapes.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Type.Attr> attrs = new LinkedHashMap<>(schema.context().attrs());
    Map<String, Type.Attr> own = new LinkedHashMap<>(shapes.get(0).context().attrs());
    for (Schema.ActionShape s : shapes.subList(1, shapes.size())) {
      Map<String, Type.Attr> next = new LinkedHashMap<>();
      own.forEach((name, a) -> {
        Type.Attr b = s.context().attrs().get(name);
        next.put(name, b == null ? new Type.Attr(a.type(), true)
            : new Type.Attr(Type.join(a.type(), b.type()), a.optional() || b.optional()));
      });
      s.context().attrs().forEach((name, b) -> next.putIfAbsent(name, new Type.Attr(b.type(), true)));
      own = next;
    }
    own.forEach(attrs::putIfAbsent);
    return Optional.of(new Common(agreed(shapes, true), agreed(shapes, false), Type.Record.closed(attrs)));
  }

  /** The one principal (or resource) type every shape declares alone, if they do. */
  private static Optional<String> agreed(List<Schema.ActionShape> shapes, boolean principal) {
    Set<String> types = new LinkedHashSet<>();
    for (Schema.ActionShape s : shapes) {
      Set<String> declared = principal ? s.principals() : s.resources();
      if (declared.isEmpty()) {
        return Optional.empty();
      }
      types.addAll(declared);
    }
    return types.size() == 1 ? Optional.of(types.iterator().next()) : Optional.empty();
  }

  /** A rule in a policy {@code on} a type naming an action that does not apply to it. */
  void checkRule(Optional<String> on, PolicyMember.Rule rule) {
    if (on.isEmpty() || schema.actions().isEmpty()) {
      return;
    }
    for (Ident named : rule.actions()) {
      for (String a : groups.expand(List.of(named))) {
        notApplying(a, on.get()).ifPresent(shape -> out.add(Diagnostic.of(Code.ACTION_DOES_NOT_APPLY, named.span(),
            "action `" + a + "` does not apply to `" + on.get() + "`: its resources are "
                + Suggestions.list(shape.resources()),
            "write the rule in a policy on " + Suggestions.list(shape.resources()) + ", or add `" + on.get()
                + "` to `resource:` in `action " + a + "`")));
      }
    }
  }

  /** A route binding an action to a resource type it does not apply to. */
  void checkRoute(Decl.RouteDecl route) {
    String type = route.resourceType().name();
    for (String a : groups.expand(List.of(route.action()))) {
      notApplying(a, type).ifPresent(shape -> out.add(Diagnostic.of(Code.ACTION_DOES_NOT_APPLY,
          route.action().span(), "action `" + a + "` does not apply to `" + type + "`: its resources are "
              + Suggestions.list(shape.resources()),
          "route to " + Suggestions.list(shape.resources()) + ", or add `" + type + "` to `resource:` in `action "
              + a + "`")));
    }
  }

  /** An {@code action} declaration naming a group: a group has no shape of its own. */
  void checkDecl(Decl.ActionDecl d) {
    if (groups.isGroup(d.name().name())) {
      out.add(Diagnostic.of(Code.BAD_ACTION_SHAPE, d.name().span(), "`" + d.name().name()
          + "` is an action group; an `action` declaration describes one action",
          "declare each of its actions with `action NAME { … }`"));
    }
  }

  private Optional<Schema.ActionShape> notApplying(String action, String type) {
    return schema.action(action).filter(s -> !s.resourceFits(type));
  }
}

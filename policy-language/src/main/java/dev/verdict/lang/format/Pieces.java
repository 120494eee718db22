package dev.verdict.lang.format;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.ast.TypeExpr;
import dev.verdict.lang.syntax.Literals;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one-line text of every construct that is not an expression, shared by the formatter
 * and the compact printer so that both write exactly the same syntax.
 */
final class Pieces {
  private Pieces() {}

  static String annotations(List<Annotation> list) {
    return list.stream().map(Pieces::annotation).collect(Collectors.joining(" "));
  }

  static String annotation(Annotation a) {
    return "@" + a.name().name() + a.value().map(v -> "(" + Literals.quote(v.value()) + ")").orElse("");
  }

  /** {@code "@a @b "} or "" : annotations written inline before what they annotate. */
  static String inlineAnnotations(List<Annotation> list) {
    return list.isEmpty() ? "" : annotations(list) + " ";
  }

  static String names(List<Ident> names) {
    return names.stream().map(Ident::name).collect(Collectors.joining(", "));
  }

  // ---- schema

  static String type(TypeExpr t) {
    if (t instanceof TypeExpr.Named n) {
      return n.name().name();
    } else if (t instanceof TypeExpr.SetOf s) {
      return "Set<" + type(s.element()) + ">";
    }
    return inlineRecord((TypeExpr.RecordOf) t);
  }

  static String inlineRecord(TypeExpr.RecordOf r) {
    if (r.attrs().isEmpty()) {
      return "{}";
    }
    return r.attrs().stream().map(Pieces::attr).collect(Collectors.joining(", ", "{ ", " }"));
  }

  static String attr(TypeExpr.AttrDecl a) {
    return attrName(a) + " " + type(a.type());
  }

  /** {@code @sensitive ssn?:}: everything of an attribute before its type. */
  static String attrName(TypeExpr.AttrDecl a) {
    return inlineAnnotations(a.annotations()) + Literals.attrName(a.name().name()) + (a.optional() ? "?" : "") + ":";
  }

  /** A field path as written: {@code items[].price}, names that are not words quoted. */
  static String path(FieldPath p) {
    StringBuilder b = new StringBuilder();
    for (FieldPath.Segment s : p.segments()) {
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(Literals.attrName(s.name()));
      if (s.list()) {
        b.append("[]");
      }
    }
    return b.toString();
  }

  static String actionNames(List<Ident> actions) {
    return actions.stream().map(a -> Literals.actionName(a.name())).collect(Collectors.joining(", "));
  }

  static String entityHeader(Decl.EntityDecl e) {
    String s = "entity " + e.name().name();
    return e.parentTypes().isEmpty() ? s : s + " in " + names(e.parentTypes());
  }

  // ---- roles, actions, policies

  static String plainRoles(Decl.PlainRolesDecl r) {
    return "role " + names(r.names());
  }

  /** {@code role owner on Account}; the condition is added by the caller. */
  static String derivedRoleHead(Decl.RoleDecl r) {
    return "role " + r.name().name() + " on " + r.resourceType().map(Ident::name).orElse("*");
  }

  static String actionGroup(Decl.ActionGroupDecl a) {
    return "actions " + a.name().name() + " = " + actionNames(a.members());
  }

  static String actionHeader(Decl.ActionDecl a) {
    return "action " + actionNames(List.of(a.name()));
  }

  /** {@code principal: User, Service} or {@code resource: Account}. */
  static String actionTypes(String word, List<Ident> types) {
    return word + ": " + names(types);
  }

  static String policyHeader(Decl.PolicyDecl p) {
    return "policy " + p.name().name() + " on " + p.resourceType().map(Ident::name).orElse("*");
  }

  /** {@code permit read, update to owner}: a rule without its annotations and conditions. */
  static String ruleHead(PolicyMember.Rule r) {
    StringBuilder b = new StringBuilder(r.effect().word()).append(' ');
    b.append(r.anyAction() ? "*" : actionNames(r.actions()));
    if (!r.roles().isEmpty()) {
      b.append(" to ").append(names(r.roles()));
    }
    // a template's slot conditions are short and fixed: they stay on the head's line, first
    r.slots().forEach(slot -> b.append(" when ").append(slot.text()));
    return b.toString();
  }

  static String condition(Condition c) {
    return keyword(c.kind()) + " " + ExprPrinter.print(c.expr());
  }

  static String keyword(Condition.Kind kind) {
    return kind == Condition.Kind.WHEN ? "when" : "unless";
  }

  static String fieldsHeader(PolicyMember.FieldsBlock f) {
    String s = "fields " + f.access().word();
    return f.actions().isEmpty() ? s : s + " on " + actionNames(f.actions());
  }

  /** {@code @a balance, holder.ssn:}: a field rule before its effect. */
  static String fieldRuleHead(PolicyMember.FieldRule r) {
    return inlineAnnotations(r.annotations())
        + r.paths().stream().map(Pieces::path).collect(Collectors.joining(", ")) + ":";
  }

  /** {@code redact unless owner, auditor}: a field rule from its effect on. */
  static String fieldRuleTail(PolicyMember.FieldRule r) {
    return fieldRuleTail(r, 0);
  }

  /** As {@link #fieldRuleTail(PolicyMember.FieldRule)}, conditions aligned after {@code effectWidth}. */
  static String fieldRuleTail(PolicyMember.FieldRule r, int effectWidth) {
    String s = r.effect().text();
    if (r.conditions().isEmpty()) {
      return s;
    }
    StringBuilder b = new StringBuilder(Formatter.pad(s, effectWidth));
    for (PolicyMember.FieldCondition c : r.conditions()) {
      b.append(' ').append(keyword(c.kind())).append(' ');
      b.append(c instanceof PolicyMember.FieldCondition.Roles roles ? names(roles.roles())
          : ExprPrinter.print(((PolicyMember.FieldCondition.When) c).expr()));
    }
    return b.toString();
  }

  // ---- routes and limits

  static String routeMethod(Decl.RouteDecl r) {
    return "route " + r.method().name();
  }

  static String routeTemplate(Decl.RouteDecl r) {
    return Literals.quote(r.template().value());
  }

  /** {@code -> Account[id].read intent "x"}. */
  static String routeTarget(Decl.RouteDecl r) {
    StringBuilder b = new StringBuilder("-> ").append(r.resourceType().name());
    r.idParam().ifPresent(p -> b.append('[').append(p.name()).append(']'));
    r.fixedId().ifPresent(id -> b.append('[').append(Literals.quote(id.value())).append(']'));
    b.append('.').append(Literals.actionName(r.action().name()));
    r.intent().ifPresent(i -> b.append(" intent ").append(Literals.quote(i.value())));
    return b.toString();
  }

  static String route(Decl.RouteDecl r) {
    return routeMethod(r) + " " + routeTemplate(r) + " " + routeTarget(r);
  }

  static String intentDecl(Decl.IntentDecl i) {
    return "intent " + Literals.quote(i.intent().value());
  }

  static String limitHeader(Decl.LimitDecl l) {
    StringBuilder b = new StringBuilder("limit ").append(l.name().name())
        .append(" on intent ").append(Literals.quote(l.intent().value()));
    if (!l.keys().isEmpty()) {
      b.append(" by ").append(l.keys().stream().map(ExprPrinter::print).collect(Collectors.joining(", ")));
    }
    return b.toString();
  }

  /** {@code 5 per 1m burst 5}; the {@code when} is added by the caller. */
  static String limitLineHead(Decl.LimitLine line) {
    String s = line.count() + " per " + line.period().text();
    return line.window() ? s + " window" : line.burst().map(b -> s + " burst " + b).orElse(s);
  }

  static String limitUnavailable(Decl.OnUnavailable u) {
    return "on " + u.word().name() + " " + u.mode().name();
  }

  static String limitLineWhen(Decl.LimitLine line) {
    return "when " + ExprPrinter.print(line.when().orElseThrow());
  }

  // ---- tests

  static String testHeader(Decl.TestDecl t) {
    return "test " + Literals.quote(t.name().value());
  }

  static String testItem(TestItem item) {
    if (item instanceof TestItem.EntitySpec s) {
      StringBuilder b = new StringBuilder(s.role().word());
      if (s.type().isPresent() && s.id().isPresent()) {
        b.append(' ').append(s.type().get().name()).append(' ').append(Literals.quote(s.id().get().value()));
      }
      if (!s.parents().isEmpty()) {
        b.append(" in ").append(s.parents().stream()
            .map(p -> p.type().name() + " " + Literals.quote(p.id().value()))
            .collect(Collectors.joining(", ")));
      }
      s.attrs().ifPresent(r -> ExprPrinter.record(r, b.append(' ')));
      return b.toString();
    } else if (item instanceof TestItem.ContextSpec c) {
      StringBuilder b = new StringBuilder("context ");
      ExprPrinter.record(c.attrs(), b);
      return b.toString();
    } else if (item instanceof TestItem.ActionSpec a) {
      return "action " + Literals.actionName(a.action().name());
    } else if (item instanceof TestItem.RequestSpec r) {
      return "request " + r.method().name() + " " + Literals.quote(r.path().value());
    } else if (item instanceof TestItem.Expect e) {
      return "expect " + expectation(e.expectation());
    }
    TestItem.Repeat r = (TestItem.Repeat) item;
    return "repeat " + r.count() + " expect " + (r.lastOnly() ? "last" : "all") + " " + expectation(r.expectation());
  }

  static String expectation(TestItem.Expectation e) {
    StringBuilder b = new StringBuilder(e.outcome().word());
    if (!e.because().isEmpty()) {
      b.append(" because ").append(e.because().stream().map(s -> Literals.quote(s.value()))
          .collect(Collectors.joining(", ")));
    }
    for (TestItem.FieldExpect f : e.fields()) {
      b.append(f.access() == PolicyMember.Access.WRITE ? " fields write " : " fields ");
      if (f.entries().isEmpty()) {
        b.append("{}");
      } else {
        b.append(f.entries().stream().map(x -> path(x.path()) + ": " + x.effect().text())
            .collect(Collectors.joining(", ", "{ ", " }")));
      }
    }
    return b.toString();
  }
}

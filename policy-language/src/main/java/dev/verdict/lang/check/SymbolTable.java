package dev.verdict.lang.check;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every name a policy set declares, by kind, collected once and shared by the passes.
 * Declarations are visited in position order (file, line, column), so "first" always means
 * the earliest place; later duplicates are recorded in {@link #duplicates} and otherwise
 * ignored by the maps (the lists keep every declaration, so each is still checked).
 */
final class SymbolTable {
  /** A name defined a second time: what kind of name, the name, and both places. */
  record Duplicate(String kind, String name, Span first, Span second) {}

  /** A rule with the policy it belongs to and its id ({@code @id} or {@code policy:line}). */
  record RuleRef(Decl.PolicyDecl policy, PolicyMember.Rule rule, String id) {}

  final List<Decl> decls;
  final Map<String, Decl.EntityDecl> entities = new LinkedHashMap<>();
  final Map<String, Ident> plainRoles = new LinkedHashMap<>();
  final Map<String, Decl.RoleDecl> derivedRoles = new LinkedHashMap<>();
  final Map<String, Decl.ActionGroupDecl> actionGroups = new LinkedHashMap<>();
  /** {@code action transfer { … }} declarations by action name. */
  final Map<String, Decl.ActionDecl> actionShapes = new LinkedHashMap<>();
  final Map<String, Decl.PolicyDecl> policies = new LinkedHashMap<>();
  final List<Decl.PolicyDecl> allPolicies = new ArrayList<>();
  final List<Decl.RouteDecl> routes = new ArrayList<>();
  final List<Decl.LimitDecl> limits = new ArrayList<>();
  /** Intents declared by routes or by {@code intent "x"} declarations, to where first declared. */
  final Map<String, Span> intents = new LinkedHashMap<>();
  final List<Decl.TestDecl> tests = new ArrayList<>();
  final List<RuleRef> rules = new ArrayList<>();
  /** Every rule id, explicit or positional, to where the rule is. */
  final Map<String, Span> ruleIds = new LinkedHashMap<>();
  /** Action names that some rule names (not `*`). */
  final Set<String> ruleActions = new LinkedHashSet<>();
  final List<Duplicate> duplicates = new ArrayList<>();

  private SymbolTable(List<Decl> decls) {
    this.decls = Collections.unmodifiableList(decls);
  }

  static SymbolTable of(List<PolicyFile> files) {
    List<Decl> decls = new ArrayList<>();
    for (PolicyFile f : files) {
      decls.addAll(f.decls());
    }
    decls.sort(Comparator.comparing(Decl::span));
    SymbolTable t = new SymbolTable(decls);
    Map<String, Span> roleNames = new LinkedHashMap<>();
    Map<String, Span> limitNames = new LinkedHashMap<>();
    Map<String, Span> testNames = new LinkedHashMap<>();
    Map<String, Span> explicitIds = new LinkedHashMap<>();
    Span context = null;
    for (Decl d : decls) {
      if (d instanceof Decl.EntityDecl e) {
        t.define("entity type", e.name(), t.entities, e);
      } else if (d instanceof Decl.ContextDecl c) {
        if (context != null) {
          t.duplicates.add(new Duplicate("context schema", "context", context, Spans.head(c.span(), "context".length())));
        } else {
          context = Spans.head(c.span(), "context".length());
        }
      } else if (d instanceof Decl.PlainRolesDecl p) {
        for (Ident n : p.names()) {
          if (t.firstPlace("role", n, roleNames)) {
            t.plainRoles.put(n.name(), n);
          }
        }
      } else if (d instanceof Decl.RoleDecl r) {
        if (t.firstPlace("role", r.name(), roleNames)) {
          t.derivedRoles.put(r.name().name(), r);
        }
      } else if (d instanceof Decl.ActionGroupDecl g) {
        t.define("action group", g.name(), t.actionGroups, g);
      } else if (d instanceof Decl.ActionDecl a) {
        t.define("action", a.name(), t.actionShapes, a);
      } else if (d instanceof Decl.PolicyDecl p) {
        t.define("policy", p.name(), t.policies, p);
        t.allPolicies.add(p);
        for (PolicyMember.Rule r : p.rules()) {
          String id = r.id(p.name().name());
          t.rules.add(new RuleRef(p, r, id));
          t.ruleIds.putIfAbsent(id, Spans.ruleHead(r));
          r.actions().forEach(a -> t.ruleActions.add(a.name()));
          for (Annotation a : r.annotations()) {
            if (a.name().name().equals("id") && a.value().isPresent()) {
              Ident idName = new Ident(a.value().get().value(), a.span());
              t.firstPlace("rule id", idName, explicitIds);
            }
          }
        }
      } else if (d instanceof Decl.RouteDecl r) {
        t.routes.add(r);
        r.intent().ifPresent(i -> t.intents.putIfAbsent(i.value(), i.span()));
      } else if (d instanceof Decl.IntentDecl i) {
        t.intents.putIfAbsent(i.intent().value(), i.intent().span());
      } else if (d instanceof Decl.LimitDecl l) {
        t.firstPlace("limit", l.name(), limitNames);
        t.limits.add(l);
      } else if (d instanceof Decl.TestDecl test) {
        t.firstPlace("test", new Ident(test.name().value(), test.name().span()), testNames);
        t.tests.add(test);
      }
    }
    return t;
  }

  private <T> void define(String kind, Ident name, Map<String, T> byName, T decl) {
    T first = byName.get(name.name());
    if (first == null) {
      byName.put(name.name(), decl);
    } else {
      duplicates.add(new Duplicate(kind, name.name(), nameSpan(first), name.span()));
    }
  }

  private static Span nameSpan(Object decl) {
    if (decl instanceof Decl.EntityDecl e) {
      return e.name().span();
    } else if (decl instanceof Decl.ActionGroupDecl g) {
      return g.name().span();
    } else if (decl instanceof Decl.ActionDecl a) {
      return a.name().span();
    } else if (decl instanceof Decl.PolicyDecl p) {
      return p.name().span();
    }
    return ((Decl) decl).span();
  }

  /** Records {@code name} in {@code seen}; true when it is its first place, else a duplicate. */
  private boolean firstPlace(String kind, Ident name, Map<String, Span> seen) {
    Span first = seen.putIfAbsent(name.name(), name.span());
    if (first != null) {
      duplicates.add(new Duplicate(kind, name.name(), first, name.span()));
      return false;
    }
    return true;
  }

  /** Every declared role name, plain and derived. */
  Set<String> roleNames() {
    Set<String> out = new LinkedHashSet<>(plainRoles.keySet());
    out.addAll(derivedRoles.keySet());
    return out;
  }
}

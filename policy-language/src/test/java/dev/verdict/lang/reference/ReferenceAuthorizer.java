package dev.verdict.lang.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.data.EntityUid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A naive authorizer for differential testing, read straight off LANGUAGE.md's Semantics: for
 * every request it loops over every policy and every rule of the parsed files, checks type,
 * action, roles and conditions with {@link RefInterpreter}, and combines the results. No
 * index, no planning, no caching beyond what a single decision needs.
 */
final class ReferenceAuthorizer {
  /** What the reference decides: outcome, reasons, masks, and how many errors it met. */
  record Result(boolean allow, List<String> reasons, Map<String, String> readMask, Set<String> writeDenied,
      int errors) {
    @Override
    public String toString() {
      return (allow ? "allow" : "deny") + " reasons=" + reasons + " readMask=" + new TreeMap<>(readMask)
          + " writeDenied=" + new TreeSet<>(writeDenied) + " errors=" + errors;
    }
  }

  private final List<PolicyFile> files;
  private final Map<EntityUid, RefEntities.Data> data;

  ReferenceAuthorizer(List<PolicyFile> files, JsonNode entityData) {
    this.files = files;
    this.data = RefEntities.fromDataJson(entityData);
  }

  /** Decides a request given in the JSON shape of {@code RequestJson}. */
  Result decide(JsonNode request) {
    EntityUid principal = new EntityUid(request.get("principal").path("type").asText("User"),
        request.get("principal").get("id").asText());
    EntityUid resource = new EntityUid(request.get("resource").get("type").asText(),
        request.get("resource").get("id").asText());
    String action = request.get("action").asText();
    Map<EntityUid, RefEntities.Data> mine = new HashMap<>();
    mine.put(resource, requestEntity(request.get("resource")));
    mine.put(principal, requestEntity(request.get("principal")));
    Map<EntityUid, RefEntities.Data> extra = RefEntities.fromDataJson(request.get("entities"));
    RefEntities entities = new RefEntities(mine, extra, data);
    Map<String, Object> context = request.hasNonNull("context") ? RefValues.record(request.get("context")) : Map.of();

    Map<String, Set<String>> groups = actionGroups();
    RefInterpreter in = new RefInterpreter(principal, resource, action, context, entities, groups);
    Roles roles = new Roles(in, resource.type(), plainRoles(entities, principal));

    int[] errors = {0};
    List<String> forbids = new ArrayList<>();
    List<String> permits = new ArrayList<>();
    List<Runnable> permitChecks = new ArrayList<>();
    for (Decl.PolicyDecl p : policies()) {
      if (!appliesToType(p, resource.type())) {
        continue;
      }
      for (PolicyMember.Rule r : p.rules()) {
        if (!actionMatches(r, action, groups)) {
          continue;
        }
        String id = r.id(p.name().name());
        if (r.effect() == PolicyMember.Effect.FORBID) {
          int state = ruleState(r, roles, in, errors);
          if (state != NOT) {
            forbids.add(id); // an errored forbid applies: fail closed
          }
        } else {
          // Permits are looked at only when no forbid applied, so their errors are not counted then.
          permitChecks.add(() -> {
            if (ruleState(r, roles, in, errors) == APPLIES) {
              permits.add(id);
            }
          });
        }
      }
    }
    if (!forbids.isEmpty()) {
      return new Result(false, forbids, Map.of(), Set.of(), errors[0] + roles.errors);
    }
    permitChecks.forEach(Runnable::run);
    if (permits.isEmpty()) {
      return new Result(false, List.of(), Map.of(), Set.of(), errors[0] + roles.errors);
    }
    Map<String, FieldEffect> read = new LinkedHashMap<>();
    Set<String> write = new HashSet<>();
    for (Decl.PolicyDecl p : policies()) {
      if (!appliesToType(p, resource.type())) {
        continue;
      }
      for (PolicyMember.FieldsBlock block : p.fieldBlocks()) {
        if (!blockCovers(block, action, groups)) {
          continue;
        }
        for (PolicyMember.FieldRule fr : block.rules()) {
          if (!fieldRuleApplies(fr, roles, in, errors)) {
            continue;
          }
          for (FieldPath path : fr.paths()) {
            if (block.access() == PolicyMember.Access.WRITE) {
              write.add(path.text());
            } else {
              FieldEffect old = read.get(path.text());
              read.put(path.text(), old == null ? fr.effect() : stricter(old, fr.effect()));
            }
          }
        }
      }
    }
    Map<String, String> readText = new LinkedHashMap<>();
    read.forEach((k, v) -> readText.put(k, v.text()));
    return new Result(true, permits, readText, write, errors[0] + roles.errors);
  }

  private static final int NOT = 0;
  private static final int APPLIES = 1;
  private static final int ERRORED = 2;

  private static int ruleState(PolicyMember.Rule r, Roles roles, RefInterpreter in, int[] errors) {
    if (!r.roles().isEmpty()) {
      int held = roles.holdsAny(r.roles());
      if (held != APPLIES) {
        return held;
      }
    }
    for (Condition c : r.conditions()) {
      boolean v;
      try {
        v = in.test(c.expr());
      } catch (RefError e) {
        errors[0]++;
        return ERRORED;
      }
      if (v != (c.kind() == Condition.Kind.WHEN)) {
        return NOT;
      }
    }
    return APPLIES;
  }

  /** A block without `on` covers every action; with it, the actions named and their groups' members. */
  private static boolean blockCovers(PolicyMember.FieldsBlock block, String action, Map<String, Set<String>> groups) {
    if (block.actions().isEmpty()) {
      return true;
    }
    for (Ident a : block.actions()) {
      if (a.name().equals(action) || groups.getOrDefault(a.name(), Set.of()).contains(action)) {
        return true;
      }
    }
    return false;
  }

  /** No condition: always. Each condition, roles or expression, met per when/unless; an error keeps the effect. */
  private static boolean fieldRuleApplies(PolicyMember.FieldRule fr, Roles roles, RefInterpreter in, int[] errors) {
    for (PolicyMember.FieldCondition c : fr.conditions()) {
      boolean holds;
      if (c instanceof PolicyMember.FieldCondition.Roles rc) {
        int held = roles.holdsAny(rc.roles());
        if (held == ERRORED) {
          errors[0]++;
          return true;
        }
        holds = held == APPLIES;
      } else {
        try {
          holds = in.test(((PolicyMember.FieldCondition.When) c).expr());
        } catch (RefError e) {
          errors[0]++;
          return true;
        }
      }
      if (holds != (c.kind() == Condition.Kind.WHEN)) {
        return false;
      }
    }
    return true;
  }

  /** hide > redact > hash > partial; of two partials the one that keeps fewer characters. */
  private static FieldEffect stricter(FieldEffect a, FieldEffect b) {
    List<FieldEffect.Kind> order = List.of(FieldEffect.Kind.PARTIAL, FieldEffect.Kind.HASH,
        FieldEffect.Kind.REDACT, FieldEffect.Kind.HIDE, FieldEffect.Kind.DENY);
    int ra = order.indexOf(a.kind());
    int rb = order.indexOf(b.kind());
    if (ra != rb) {
      return ra > rb ? a : b;
    }
    if (a.kind() == FieldEffect.Kind.PARTIAL && b.keep() < a.keep()) {
      return b;
    }
    return a;
  }

  /** Derived roles evaluated at most once per decision, plain roles from principal.roles. */
  private final class Roles {
    private final RefInterpreter in;
    private final String resourceType;
    private final Set<String> plain;
    private final Map<String, Integer> derived = new HashMap<>();
    int errors;

    Roles(RefInterpreter in, String resourceType, Set<String> plain) {
      this.in = in;
      this.resourceType = resourceType;
      this.plain = plain;
    }

    int holdsAny(List<Ident> names) {
      boolean errored = false;
      for (Ident n : names) {
        if (plain.contains(n.name())) {
          return APPLIES;
        }
      }
      for (Ident n : names) {
        int s = derived(n.name());
        if (s == APPLIES) {
          return APPLIES;
        }
        errored |= s == ERRORED;
      }
      return errored ? ERRORED : NOT;
    }

    private int derived(String name) {
      Integer known = derived.get(name);
      if (known != null) {
        return known;
      }
      int state = NOT;
      for (Decl.RoleDecl r : roleDecls()) {
        if (!r.name().name().equals(name)) {
          continue;
        }
        if (r.resourceType().isPresent() && !r.resourceType().get().name().equals(resourceType)) {
          break;
        }
        try {
          state = in.test(r.condition()) ? APPLIES : NOT;
        } catch (RefError e) {
          errors++;
          state = ERRORED;
        }
        break;
      }
      derived.put(name, state);
      return state;
    }
  }

  private static Set<String> plainRoles(RefEntities entities, EntityUid principal) {
    Set<String> out = new HashSet<>();
    if (entities.attr(principal, "roles") instanceof RefValues.SetVal s) {
      for (Object o : s.items()) {
        if (o instanceof String str) {
          out.add(str);
        }
      }
    }
    return out;
  }

  private static RefEntities.Data requestEntity(JsonNode n) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    List<EntityUid> parents = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.equals("type") || k.equals("id") || e.getValue().isNull()) {
        continue;
      }
      if (k.equals("parents")) {
        parents = new ArrayList<>();
        for (JsonNode p : e.getValue()) {
          parents.add(RefValues.uid(p));
        }
      } else {
        attrs.put(k, RefValues.fromJson(e.getValue()));
      }
    }
    return new RefEntities.Data(attrs, parents);
  }

  private static boolean appliesToType(Decl.PolicyDecl p, String type) {
    return p.resourceType().isEmpty() || p.resourceType().get().name().equals(type);
  }

  private static boolean actionMatches(PolicyMember.Rule r, String action, Map<String, Set<String>> groups) {
    if (r.anyAction()) {
      return true;
    }
    for (Ident a : r.actions()) {
      if (a.name().equals(action) || groups.getOrDefault(a.name(), Set.of()).contains(action)) {
        return true;
      }
    }
    return false;
  }

  /** Each group's members, through nested groups. */
  private Map<String, Set<String>> actionGroups() {
    Map<String, List<String>> direct = new HashMap<>();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.ActionGroupDecl g) {
          direct.put(g.name().name(), g.members().stream().map(Ident::name).toList());
        }
      }
    }
    Map<String, Set<String>> out = new HashMap<>();
    for (String g : direct.keySet()) {
      Set<String> members = new HashSet<>();
      ArrayDeque<String> todo = new ArrayDeque<>(direct.get(g));
      while (!todo.isEmpty()) {
        String m = todo.pop();
        if (members.add(m)) {
          todo.addAll(direct.getOrDefault(m, List.of()));
        }
      }
      out.put(g, members);
    }
    return out;
  }

  private List<Decl.PolicyDecl> policies() {
    List<Decl.PolicyDecl> out = new ArrayList<>();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.PolicyDecl p) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private List<Decl.RoleDecl> roleDecls() {
    List<Decl.RoleDecl> out = new ArrayList<>();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.RoleDecl r) {
          out.add(r);
        }
      }
    }
    return out;
  }
}

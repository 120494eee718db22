package dev.verdict.lang.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.link.Link;
import dev.verdict.lang.link.Templates;
import dev.verdict.lang.rate.FailMode;
import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.check.Schema;
import dev.verdict.lang.data.EntityDataFile;
import dev.verdict.lang.data.EntityDataReader;
import dev.verdict.lang.data.EntityHierarchy;
import dev.verdict.lang.data.EntityRecord;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Code;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a checked set of files into a {@link PolicySet}: plans every condition, expands
 * action groups, indexes rules by type, action and role, and builds the entity graph.
 */
public final class Compiler {
  private Compiler() {}

  /** The compiled set, or the problems that prevent one. */
  public record Result(PolicySet set, List<Diagnostic> problems) {
    public boolean ok() {
      return set != null;
    }
  }

  /**
   * @param versionName maps a source's reported name to the name hashed into the version
   *     (relative to the set's root), so a set has the same version wherever it is loaded from
   */
  /**
   * @param entityData the data files as read, for the version
   * @param data the same files parsed (by {@link dev.verdict.lang.Verdict#check}, which checked them)
   */
  public static Result compile(List<PolicyFile> files, List<Source> entityData, List<EntityDataFile> data,
      Function<String, String> versionName) {
    return compile(files, entityData, data, List.of(), versionName);
  }

  /**
   * @param links the links of the set's {@code *.links.json} files (read and checked by
   *     {@link dev.verdict.lang.Verdict#check}; their sources are among {@code entityData})
   */
  public static Result compile(List<PolicyFile> files, List<Source> entityData, List<EntityDataFile> data,
      List<Link> links, Function<String, String> versionName) {
    List<Diagnostic> problems = new ArrayList<>();
    String version = version(files, entityData, versionName);

    Map<String, Set<String>> groups = actionGroups(files);
    Map<String, Integer> derivedIds = new HashMap<>();
    List<PolicySet.DerivedRole> derived = new ArrayList<>();
    for (PolicyFile f : files) {
      Planner planner = new Planner(f.source(), groups);
      for (Decl d : f.decls()) {
        if (d instanceof Decl.RoleDecl r) {
          derivedIds.put(r.name().name(), derived.size());
          derived.add(new PolicySet.DerivedRole(r.name().name(), r.resourceType().map(Ident::name).orElse(null),
              planner.plan(r.condition()), r.span()));
        }
      }
    }

    List<PlannedRule> rules = new ArrayList<>();
    List<CompiledTemplate> templates = new ArrayList<>();
    Map<String, List<CompiledFieldRule>> fieldsByType = new LinkedHashMap<>();
    Map<String, List<CompiledLimit>> limits = new LinkedHashMap<>();
    Set<String> types = new LinkedHashSet<>();
    int order = 0;
    for (PolicyFile f : files) {
      Planner planner = new Planner(f.source(), groups);
      for (Decl d : f.decls()) {
        if (d instanceof Decl.PolicyDecl p) {
          String type = p.resourceType().map(Ident::name).orElse(null);
          if (type != null) {
            types.add(type);
          }
          for (PolicyMember m : p.members()) {
            if (m instanceof PolicyMember.Rule r && r.isTemplate()) {
              templates.add(new CompiledTemplate(type, coveredActions(r, groups), rule(p, r, order++, planner, derivedIds),
                  r.slot(Expr.VarKind.PRINCIPAL).orElse(null), r.slot(Expr.VarKind.RESOURCE).orElse(null)));
            } else if (m instanceof PolicyMember.Rule r) {
              rules.add(new PlannedRule(type, coveredActions(r, groups), rule(p, r, order++, planner, derivedIds)));
            } else if (m instanceof PolicyMember.FieldsBlock fb) {
              for (PolicyMember.FieldRule fr : fb.rules()) {
                fieldsByType.computeIfAbsent(type == null ? "*" : type, k -> new ArrayList<>())
                    .add(fieldRule(p, fb, fr, planner, derivedIds, groups));
              }
            }
          }
        } else if (d instanceof Decl.LimitDecl l) {
          limits.computeIfAbsent(l.intent().value(), k -> new ArrayList<>()).add(limit(l, planner));
        }
      }
    }

    List<CompiledFieldRule> anyFields = fieldsByType.getOrDefault("*", List.of());
    Map<String, CompiledFieldRule[]> fields = new HashMap<>();
    for (String type : types) {
      List<CompiledFieldRule> all = new ArrayList<>(fieldsByType.getOrDefault(type, List.of()));
      all.addAll(anyFields);
      fields.put(type, all.toArray(new CompiledFieldRule[0]));
    }
    Map<String, CompiledLimit[]> limitArrays = new HashMap<>();
    limits.forEach((k, v) -> limitArrays.put(k, v.toArray(new CompiledLimit[0])));

    // The checker has reported the schema's problems; a set with errors never gets here.
    ValueTypes valueTypes = ValueTypes.of(Schema.build(files, new ArrayList<>()));
    EntityGraph graph = graph(data, valueTypes, problems);
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    PolicySet.Rules own = new PolicySet.Rules(rules, templates, types, Templates.of(files));
    List<CompiledTemplate.LinkedRule> linked = linked(own, links);
    Map<String, PolicySet.TypeRules> byType = byType(own, linked);
    PolicySet.TypeRules anyType = typeRules(rules, linked, null);
    return new Result(new PolicySet(version, files, byType, anyType, derived.toArray(new PolicySet.DerivedRole[0]),
        fields, anyFields.toArray(new CompiledFieldRule[0]), limitArrays, graph, order, valueTypes, own, links,
        List.of()), List.of());
  }

  /** A rule with the resource type of its policy (null for `on *`) and the actions it covers (null for `*`). */
  record PlannedRule(String type, Set<String> actions, CompiledRule rule) {}

  /** The rules of {@code links}, which were checked against the templates. */
  static List<CompiledTemplate.LinkedRule> linked(PolicySet.Rules own, List<Link> links) {
    Map<String, CompiledTemplate> byId = new HashMap<>();
    own.templates().forEach(t -> byId.putIfAbsent(t.rule().id, t));
    List<CompiledTemplate.LinkedRule> out = new ArrayList<>(links.size());
    for (Link l : links) {
      CompiledTemplate t = byId.get(l.template());
      if (t == null) {
        throw new IllegalArgumentException("link " + l.id() + " names no template: it was not checked");
      }
      out.add(t.link(l));
    }
    return out;
  }

  /** The rules of every resource type, with the links' rules indexed beside them. */
  static Map<String, PolicySet.TypeRules> byType(PolicySet.Rules own, List<CompiledTemplate.LinkedRule> linked) {
    // One pass over the rules sorts them by type (an `on *` rule goes to every type, in its place),
    // rather than one pass per type: with thousands of types and rules that was a fifth of the
    // start-up of a 10,000-rule set (docs/benchmarks.md, "Start-up and memory").
    Map<String, List<PlannedRule>> rulesOf = new HashMap<>();
    Map<String, List<CompiledTemplate.LinkedRule>> linksOf = new HashMap<>();
    for (String type : own.types()) {
      rulesOf.put(type, new ArrayList<>());
      linksOf.put(type, new ArrayList<>());
    }
    for (PlannedRule r : own.rules()) {
      if (r.type() == null) {
        rulesOf.values().forEach(l -> l.add(r));
      } else if (rulesOf.containsKey(r.type())) {
        rulesOf.get(r.type()).add(r);
      }
    }
    for (CompiledTemplate.LinkedRule r : linked) {
      if (r.type() == null) {
        linksOf.values().forEach(l -> l.add(r));
      } else if (linksOf.containsKey(r.type())) {
        linksOf.get(r.type()).add(r);
      }
    }
    Map<String, PolicySet.TypeRules> byType = new HashMap<>();
    for (String type : own.types()) {
      byType.put(type, typeRules(rulesOf.get(type), linksOf.get(type), type));
    }
    return byType;
  }

  static PolicySet.TypeRules typeRules(List<PlannedRule> rules, List<CompiledTemplate.LinkedRule> linked, String type) {
    List<PlannedRule> mine = new ArrayList<>();
    List<CompiledTemplate.LinkedRule> myLinks = new ArrayList<>();
    Set<String> actions = new LinkedHashSet<>();
    for (PlannedRule r : rules) {
      if (r.type() == null || r.type().equals(type)) {
        mine.add(r);
        if (r.actions() != null) {
          actions.addAll(r.actions());
        }
      }
    }
    for (CompiledTemplate.LinkedRule r : linked) {
      if (r.type() == null || r.type().equals(type)) {
        myLinks.add(r);
        if (r.actions() != null) {
          actions.addAll(r.actions());
        }
      }
    }
    Map<String, PolicySet.ActionRules> byAction = new HashMap<>();
    for (String action : actions) {
      byAction.put(action, actionRules(mine, myLinks, action));
    }
    return new PolicySet.TypeRules(byAction, actionRules(mine, myLinks, null));
  }

  private static PolicySet.ActionRules actionRules(List<PlannedRule> rules, List<CompiledTemplate.LinkedRule> linked,
      String action) {
    List<CompiledRule> forbids = new ArrayList<>();
    List<CompiledRule> permits = new ArrayList<>();
    for (PlannedRule r : rules) {
      if (r.actions() == null || (action != null && r.actions().contains(action))) {
        (r.rule().forbid ? forbids : permits).add(r.rule());
      }
    }
    List<CompiledTemplate.LinkedRule> linkedForbids = new ArrayList<>();
    List<CompiledTemplate.LinkedRule> linkedPermits = new ArrayList<>();
    for (CompiledTemplate.LinkedRule r : linked) {
      if (r.actions() == null || (action != null && r.actions().contains(action))) {
        (r.rule().forbid ? linkedForbids : linkedPermits).add(r);
      }
    }
    return new PolicySet.ActionRules(new RuleIndex(forbids, linkedForbids), new RuleIndex(permits, linkedPermits));
  }

  private static Set<String> coveredActions(PolicyMember.Rule r, Map<String, Set<String>> groups) {
    if (r.anyAction()) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (Ident a : r.actions()) {
      out.add(a.name());
      Set<String> members = groups.get(a.name());
      if (members != null) {
        out.addAll(members);
      }
    }
    return out;
  }

  private static CompiledRule rule(Decl.PolicyDecl p, PolicyMember.Rule r, int order, Planner planner,
      Map<String, Integer> derivedIds) {
    String[] roles = r.roles().stream().map(Ident::name).toArray(String[]::new);
    Node[] conditions = new Node[r.conditions().size()];
    boolean[] when = new boolean[conditions.length];
    for (int i = 0; i < conditions.length; i++) {
      Condition c = r.conditions().get(i);
      conditions[i] = planner.plan(c.expr());
      when[i] = c.kind() == Condition.Kind.WHEN;
    }
    return new CompiledRule(r.id(p.name().name()), order, r.effect() == PolicyMember.Effect.FORBID, r.span(),
        roles, derivedOf(roles, derivedIds), conditions, when, shown(r.annotations()));
  }

  /** The annotations a trace shows: those with a value, but {@code @id}, which is the step's id. */
  private static Map<String, String> shown(List<Annotation> annotations) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Annotation a : annotations) {
      if (!a.name().name().equals("id")) {
        a.value().ifPresent(v -> out.putIfAbsent(a.name().name(), v.value()));
      }
    }
    return out.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(out);
  }

  private static int[] derivedOf(String[] roles, Map<String, Integer> derivedIds) {
    return java.util.Arrays.stream(roles).map(derivedIds::get).filter(java.util.Objects::nonNull)
        .mapToInt(Integer::intValue).toArray();
  }

  private static CompiledFieldRule fieldRule(Decl.PolicyDecl p, PolicyMember.FieldsBlock block,
      PolicyMember.FieldRule fr, Planner planner, Map<String, Integer> derivedIds,
      Map<String, Set<String>> groups) {
    String id = Annotation.find(fr.annotations(), "id").orElse(p.name().name() + ":" + fr.span().line());
    String[] paths = fr.paths().stream().map(FieldPath::text).toArray(String[]::new);
    CompiledFieldRule.Condition[] conditions = new CompiledFieldRule.Condition[fr.conditions().size()];
    for (int i = 0; i < conditions.length; i++) {
      PolicyMember.FieldCondition c = fr.conditions().get(i);
      boolean whenKind = c.kind() == Condition.Kind.WHEN;
      if (c instanceof PolicyMember.FieldCondition.Roles rc) {
        String[] names = rc.roles().stream().map(Ident::name).toArray(String[]::new);
        conditions[i] = new CompiledFieldRule.Condition(new CompiledRule(id, -1, false, c.span(), names,
            derivedOf(names, derivedIds), new Node[0], new boolean[0]), null, whenKind);
      } else {
        conditions[i] = new CompiledFieldRule.Condition(null,
            planner.plan(((PolicyMember.FieldCondition.When) c).expr()), whenKind);
      }
    }
    return new CompiledFieldRule(id, fr.span(), block.access() == PolicyMember.Access.WRITE, paths, fr.effect(),
        conditions, blockActions(block, groups), shown(fr.annotations()));
  }

  /** The actions a field block is for, groups expanded; null for every action. */
  private static Set<String> blockActions(PolicyMember.FieldsBlock block, Map<String, Set<String>> groups) {
    if (block.actions().isEmpty()) {
      return null;
    }
    Set<String> out = new HashSet<>();
    for (Ident a : block.actions()) {
      out.add(a.name());
      out.addAll(groups.getOrDefault(a.name(), Set.of()));
    }
    return Set.copyOf(out);
  }

  private static CompiledLimit limit(Decl.LimitDecl l, Planner planner) {
    Node[] keys = l.keys().stream().map(planner::plan).toArray(Node[]::new);
    CompiledLimit.Line[] lines = new CompiledLimit.Line[l.lines().size()];
    for (int i = 0; i < lines.length; i++) {
      Decl.LimitLine line = l.lines().get(i);
      lines[i] = new CompiledLimit.Line(line.count(), line.period().value().toMillis(), line.burst().orElse(line.count()),
          line.when().map(planner::plan).orElse(null), line.span(), line.window());
    }
    FailMode unavailable = l.unavailable().flatMap(u -> FailMode.parse(u.mode().name())).orElse(FailMode.DENY);
    return new CompiledLimit(l.name().name(), l.intent().value(), l.span(), keys, lines, unavailable);
  }

  /** Action groups with their members expanded through nested groups. */
  static Map<String, Set<String>> actionGroups(List<PolicyFile> files) {
    Map<String, List<String>> direct = new LinkedHashMap<>();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.ActionGroupDecl g) {
          direct.put(g.name().name(), g.members().stream().map(Ident::name).toList());
        }
      }
    }
    Map<String, Set<String>> out = new HashMap<>();
    for (String g : direct.keySet()) {
      Set<String> members = new LinkedHashSet<>();
      ArrayDeque<String> todo = new ArrayDeque<>(direct.get(g));
      while (!todo.isEmpty()) {
        String m = todo.poll();
        if (members.add(m) && direct.containsKey(m)) {
          todo.addAll(direct.get(m));
        }
      }
      out.put(g, Set.copyOf(members));
    }
    return out;
  }

  private static String version(List<PolicyFile> files, List<Source> data, Function<String, String> name) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      List<Source> all = new ArrayList<>();
      files.forEach(f -> all.add(f.source()));
      all.addAll(data);
      all.sort((a, b) -> name.apply(a.name()).compareTo(name.apply(b.name())));
      for (Source s : all) {
        md.update(name.apply(s.name()).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(s.text().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /**
   * The entity data files as a graph; their shape was checked by the checker. The hierarchy
   * (duplicates, cycles, depth, ancestors) is {@link EntityHierarchy}'s, the checker's own.
   */
  private static EntityGraph graph(List<EntityDataFile> data, ValueTypes types, List<Diagnostic> problems) {
    List<EntityRecord> records = new ArrayList<>();
    for (EntityDataFile file : data) {
      if (file.hasErrors()) {
        problems.addAll(file.diagnostics());
      } else {
        records.addAll(file.records());
      }
    }
    EntityHierarchy hierarchy = EntityHierarchy.build(records, problems);
    return EntityGraph.of(entities(records, types, problems), hierarchy);
  }

  private static List<EntityData> entities(List<EntityRecord> records, ValueTypes types, List<Diagnostic> problems) {
    List<EntityData> out = new ArrayList<>();
    for (EntityRecord r : records) {
      Map<String, Value> attrs = new LinkedHashMap<>();
      try {
        String at = r.jsonPath() + ".attrs";
        for (Map.Entry<String, JsonNode> e : r.attrs().entrySet()) {
          if (!e.getValue().isNull()) {
            attrs.put(e.getKey(), Values.fromJson(e.getValue(), EntityDataReader.child(at, e.getKey())));
          }
        }
        attrs = types.attributes(r.uid().type(), attrs, at);
      } catch (Values.JsonValueException e) {
        problems.add(Diagnostic.of(Code.BAD_JSON, r.span(), e.getMessage()).withJsonPath(e.path()));
        continue;
      }
      out.add(EntityData.of(r.uid(), attrs, r.parents()));
    }
    return out;
  }
}

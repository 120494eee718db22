package dev.verdict.lang.eval;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.link.Link;
import dev.verdict.lang.link.Templates;
import dev.verdict.lang.route.Route;
import dev.verdict.lang.source.Span;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled policy set: immutable, thread-safe, versioned by a content hash of its files.
 * Rules are indexed by resource type, then action, then role; conditions are planned nodes.
 * Obtain one from {@link dev.verdict.lang.Verdict#load}; evaluate with {@link Authorizer}.
 */
public final class PolicySet {
  private final String version;
  private final List<PolicyFile> files;
  private final Map<String, TypeRules> byType;
  private final TypeRules anyType;
  private final DerivedRole[] derivedRoles;
  private final Map<String, CompiledFieldRule[]> fieldsByType;
  private final CompiledFieldRule[] anyTypeFields;
  private final Map<String, CompiledLimit[]> limitsByIntent;
  private final EntityGraph graph;
  private final int ruleCount;
  /** Resource type → action → the intent its routes declare (none when they disagree). */
  private final Map<String, Map<String, String>> routeIntents;
  private final java.util.SortedSet<String> intents;
  private final ValueTypes types;
  private final Catalog catalog;
  /** Per resource type with rules of its own, and "" for every other type; filled on first use. */
  private final java.util.concurrent.ConcurrentHashMap<String, ReadSet> readSets =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The rules of one resource type: per action, with a fallback for actions no rule names. */
  record TypeRules(Map<String, ActionRules> byAction, ActionRules otherActions) {
    ActionRules forAction(String action) {
      ActionRules a = byAction.get(action);
      return a == null ? otherActions : a;
    }
  }

  record ActionRules(RuleIndex forbids, RuleIndex permits) {}

  /** {@code role owner on Account when …}, planned; {@code type} null for {@code on *}. */
  record DerivedRole(String name, String type, Node condition, Span span) {}

  /**
   * What links are made from: the set's own rules (before links), its templates, its resource
   * types with rules of their own, and the check of links against the templates.
   */
  record Rules(List<Compiler.PlannedRule> rules, List<CompiledTemplate> templates, java.util.Set<String> types,
      Templates check) {}

  private final Decision defaultDeny;
  private final Rules own;
  /** The links of the set's {@code *.links.json} files, hashed into {@link #baseVersion}. */
  private final List<Link> fileLinks;
  /** Links added to the set at run time (the admin API's). */
  private final List<Link> addedLinks;
  /** The version of the files alone: {@link #version} when no link was added at run time. */
  private final String baseVersion;

  PolicySet(String version, List<PolicyFile> files, Map<String, TypeRules> byType, TypeRules anyType,
      DerivedRole[] derivedRoles, Map<String, CompiledFieldRule[]> fieldsByType, CompiledFieldRule[] anyTypeFields,
      Map<String, CompiledLimit[]> limitsByIntent, EntityGraph graph, int ruleCount, ValueTypes types) {
    this(version, files, byType, anyType, derivedRoles, fieldsByType, anyTypeFields, limitsByIntent, graph, ruleCount,
        types, new Rules(List.of(), List.of(), java.util.Set.of(), Templates.of(files)), List.of(), List.of());
  }

  PolicySet(String baseVersion, List<PolicyFile> files, Map<String, TypeRules> byType, TypeRules anyType,
      DerivedRole[] derivedRoles, Map<String, CompiledFieldRule[]> fieldsByType, CompiledFieldRule[] anyTypeFields,
      Map<String, CompiledLimit[]> limitsByIntent, EntityGraph graph, int ruleCount, ValueTypes types, Rules own,
      List<Link> fileLinks, List<Link> addedLinks) {
    this.own = own;
    this.fileLinks = List.copyOf(fileLinks);
    this.addedLinks = List.copyOf(addedLinks);
    this.baseVersion = baseVersion;
    String version = addedLinks.isEmpty() ? baseVersion : linkedVersion(baseVersion, addedLinks);
    this.types = types;
    this.routeIntents = routeIntents(files);
    this.version = version;
    this.files = List.copyOf(files);
    this.byType = lookup(byType);
    this.anyType = anyType;
    this.derivedRoles = derivedRoles;
    this.fieldsByType = lookup(fieldsByType);
    this.anyTypeFields = anyTypeFields;
    this.limitsByIntent = lookup(limitsByIntent);
    this.graph = graph;
    this.ruleCount = ruleCount;
    this.intents = declaredIntents(files, limitsByIntent.keySet());
    this.catalog = Catalog.of(files).withLinks(links());
    this.defaultDeny = Decision.masked(Decision.Outcome.DENY, List.of(), List.of(),
        dev.verdict.lang.mask.ReadMask.empty(), dev.verdict.lang.mask.WriteMask.empty(), java.util.Optional.empty(),
        version);
  }

  /**
   * A read-only copy for lookups on the decision path. Not {@code Map.copyOf}: its linear
   * probing degrades to a scan of the table when keys have near-consecutive hash codes, as
   * generated names such as {@code Type1 … Type500} do (2 µs per lookup measured with 500
   * types); {@link HashMap} spreads and chains them.
   */
  static <K, V> Map<K, V> lookup(Map<K, V> m) {
    return java.util.Collections.unmodifiableMap(new HashMap<>(m));
  }

  /**
   * This set with {@code added} as its run-time links (replacing any it had), everything else
   * shared. The links must have been checked against {@link #checkLinks}: their templates exist.
   * Its {@link #version()} hashes the links too, so no cached decision of another set of links is
   * ever reused.
   *
   * @throws IllegalArgumentException when a link names no template of this set
   */
  public PolicySet withLinks(List<Link> added) {
    List<Link> all = new java.util.ArrayList<>(fileLinks);
    all.addAll(added);
    List<CompiledTemplate.LinkedRule> linked = Compiler.linked(own, all);
    return new PolicySet(baseVersion, files, Compiler.byType(own, linked),
        Compiler.typeRules(own.rules(), linked, null), derivedRoles, fieldsByType, anyTypeFields, limitsByIntent, graph,
        ruleCount, types, own, fileLinks, added);
  }

  /**
   * The problems of {@code links} against the set's templates (V1504 unknown template, V1505
   * slots that do not fit, V1506 an id used twice or already in {@code taken}); empty when all fit.
   */
  public List<dev.verdict.lang.source.Diagnostic> checkLinks(List<dev.verdict.lang.link.LinkRecord> links,
      java.util.Collection<String> taken) {
    return own.check().check(links, taken);
  }

  /** The links of the set's files, then those added at run time. */
  public List<Link> links() {
    if (addedLinks.isEmpty()) {
      return fileLinks;
    }
    List<Link> all = new java.util.ArrayList<>(fileLinks);
    all.addAll(addedLinks);
    return java.util.Collections.unmodifiableList(all);
  }

  /** The links added at run time ({@link #withLinks}). */
  public List<Link> addedLinks() {
    return addedLinks;
  }

  private static String linkedVersion(String base, List<Link> links) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      md.update(base.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (Link l : links) {
        StringBuilder b = new StringBuilder().append('\0').append(l.id()).append('\0').append(l.template());
        l.slots().forEach((k, v) -> b.append('\0').append(k).append('\0').append(v.type()).append('\0').append(v.id()));
        md.update(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** {@code sha256:} and the hex digest of the set's file names and contents. */
  public String version() {
    return version;
  }

  /**
   * The parsed files. Not API: the language module's tools reach them through
   * {@link PolicySetInternals}; callers outside read the {@link #catalog()}.
   */
  List<PolicyFile> files() {
    return files;
  }

  /** What the set declares (routes, limits, rules), as plain values. */
  public Catalog catalog() {
    return catalog;
  }

  /** The declared types every request's values and the entity data are read as. */
  public ValueTypes types() {
    return types;
  }

  /** The default deny (no rule applied, nothing failed, nothing traced) of this set: one value. */
  Decision defaultDeny() {
    return defaultDeny;
  }

  public int ruleCount() {
    return ruleCount;
  }

  /** The entity data the set was loaded with (its {@code *.entities.json} files). */
  public Entities entities() {
    return graph;
  }

  EntityGraph graph() {
    return graph;
  }

  /** Every route declared in the set, in file order. */
  public List<Route> routes() {
    return catalog.routes();
  }

  /**
   * The actions the set knows for resources of {@code type}: those its rules name for the type
   * (or for every type) and those its routes map to the type, sorted. An action only a
   * {@code permit *} would allow is not listed: a wildcard names no action.
   */
  public java.util.SortedSet<String> actions(String type) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    TypeRules t = byType.get(type);
    out.addAll((t == null ? anyType : t).byAction().keySet());
    for (Route r : routes()) {
      if (r.resourceType().equals(type)) {
        out.add(r.action());
      }
    }
    return java.util.Collections.unmodifiableSortedSet(out);
  }

  /** The resource types that have rules of their own or routes, sorted. */
  public java.util.SortedSet<String> resourceTypes() {
    java.util.SortedSet<String> out = new java.util.TreeSet<>(byType.keySet());
    for (Route r : routes()) {
      out.add(r.resourceType());
    }
    return java.util.Collections.unmodifiableSortedSet(out);
  }

  /** Every test declared in the set, in file order. */
  List<Decl.TestDecl> tests() {
    return files.stream().flatMap(f -> f.decls().stream())
        .filter(Decl.TestDecl.class::isInstance).map(Decl.TestDecl.class::cast).toList();
  }

  /**
   * The intent of a request that names none: the intent of the routes declared for its
   * resource type and action, when they agree on exactly one. So a service asking about
   * {@code Account.transfer} is limited like the gateway route {@code POST …/transfers}.
   */
  public java.util.Optional<String> intentFor(String type, String action) {
    return java.util.Optional.ofNullable(routedIntent(type, action));
  }

  /** {@link #intentFor} without the {@code Optional}, or null: asked on every decision. */
  String routedIntent(String type, String action) {
    Map<String, String> byAction = routeIntents.get(type);
    return byAction == null ? null : byAction.get(action);
  }

  /** Every intent a route or a limit declares, sorted. */
  public java.util.SortedSet<String> intents() {
    return intents;
  }

  /** Whether a route or a limit declares {@code intent}. */
  public boolean declaresIntent(String intent) {
    return intents.contains(intent);
  }

  private static java.util.SortedSet<String> declaredIntents(List<PolicyFile> files, java.util.Set<String> limited) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>(limited);
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.RouteDecl r) {
          r.intent().ifPresent(i -> out.add(i.value()));
        } else if (d instanceof Decl.IntentDecl i) {
          out.add(i.intent().value());
        }
      }
    }
    return java.util.Collections.unmodifiableSortedSet(out);
  }

  private static Map<String, Map<String, String>> routeIntents(List<PolicyFile> files) {
    Map<String, Map<String, String>> out = new HashMap<>();
    Map<String, java.util.Set<String>> ambiguous = new HashMap<>();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.RouteDecl r && r.intent().isPresent()) {
          String type = r.resourceType().name();
          String action = r.action().name();
          String prev = out.computeIfAbsent(type, k -> new HashMap<>()).putIfAbsent(action, r.intent().get().value());
          if (prev != null && !prev.equals(r.intent().get().value())) {
            ambiguous.computeIfAbsent(type, k -> new java.util.HashSet<>()).add(action);
          }
        }
      }
    }
    ambiguous.forEach((type, actions) -> actions.forEach(out.get(type)::remove));
    Map<String, Map<String, String>> lookups = new HashMap<>();
    out.forEach((type, byAction) -> lookups.put(type, lookup(byAction)));
    return lookup(lookups);
  }

  /**
   * What a decision on a resource of {@code type} reads from its request (see {@link ReadSet}).
   * Types without rules of their own share one entry, so a caller naming random types cannot
   * grow this.
   */
  public ReadSet readSet(String type) {
    String key = byType.containsKey(type) ? type : "";
    ReadSet r = readSets.get(key);
    if (r == null) {
      r = readSets.computeIfAbsent(key, k -> ReadSetAnalysis.of(files, k.isEmpty() ? null : k));
    }
    return r;
  }

  ActionRules rulesFor(String type, String action) {
    TypeRules t = byType.get(type);
    return (t == null ? anyType : t).forAction(action);
  }

  CompiledFieldRule[] fieldsFor(String type) {
    CompiledFieldRule[] f = fieldsByType.get(type);
    return f == null ? anyTypeFields : f;
  }

  private static final CompiledLimit[] NO_LIMITS = new CompiledLimit[0];

  CompiledLimit[] limitsFor(String intent) {
    CompiledLimit[] l = limitsByIntent.get(intent);
    return l == null ? NO_LIMITS : l;
  }

  int derivedRoleCount() {
    return derivedRoles.length;
  }

  /** Derived role {@code id}, for the planner (which evaluates its condition partially). */
  DerivedRole derivedRole(int id) {
    return derivedRoles[id];
  }

  /** 1 holds, 2 does not, 3 errored (recorded in the decision's errors). */
  byte evaluateDerivedRole(int id, Env env) {
    DerivedRole role = derivedRoles[id];
    if (role.type() != null && !role.type().equals(env.resource.type())) {
      return 2;
    }
    try {
      boolean holds = role.condition().test(env);
      if (env.trace != null) {
        env.trace.add("role", role.name(), role.span(), holds ? Trace.Status.APPLIED : Trace.Status.CONDITION_FAILED,
            "`" + role.condition().text + "` was " + holds);
      }
      return holds ? (byte) 1 : (byte) 2;
    } catch (EvalException e) {
      env.error(new EvalError("role " + role.name(), e.span(), e.getMessage(), e.kind()));
      if (env.trace != null) {
        env.trace.add("role", role.name(), role.span(), Trace.Status.ERROR, e.getMessage() + "; the role is not held");
      }
      return 3;
    }
  }
}

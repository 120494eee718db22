package dev.verdict.lang.check;

import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.TypeExpr;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.types.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The schema of a policy set, from its {@code entity} and {@code context} declarations. A
 * schema is partial by design: an entity type that is not declared, an entity declared
 * without an attribute block, and an undeclared context are all "open" (any attribute, of
 * unknown type), so checks apply only to what the set chose to describe.
 *
 * <p>Attributes every request carries are always known: {@code principal.id},
 * {@code principal.type}, {@code principal.roles}, {@code resource.id},
 * {@code resource.type}, {@code context.now} and the optional {@code context.intent}.
 */
public final class Schema {
  /** The type of the principal when the set declares {@code entity User}. */
  public static final String DEFAULT_PRINCIPAL_TYPE = "User";

  private static final Map<String, Type.Attr> ENTITY_BUILTINS = builtins(
      "id", new Type.Attr(Type.STRING, false), "type", new Type.Attr(Type.STRING, false));
  private static final Map<String, Type.Attr> PRINCIPAL_BUILTINS = builtins(
      "id", new Type.Attr(Type.STRING, false), "type", new Type.Attr(Type.STRING, false),
      "roles", new Type.Attr(new Type.SetOf(Type.STRING), false));
  private static final Map<String, Type.Attr> CONTEXT_BUILTINS = builtins(
      ContextKeys.NOW, new Type.Attr(Type.TIME, false), ContextKeys.INTENT, new Type.Attr(Type.STRING, true));

  /**
   * A declared entity type. {@code attrs} is open when the declaration has no attribute
   * block ({@code entity Group in Group}); {@code parentTypes} are the types it may be in.
   */
  public record EntityType(String name, Type.Record attrs, List<String> parentTypes, Span span) {
    public EntityType {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(attrs, "attrs is null");
      parentTypes = List.copyOf(parentTypes);
      Objects.requireNonNull(span, "span is null");
    }
  }

  /**
   * What one action applies to, from {@code action NAME { … }}: the principal and resource
   * types (empty: any type) and the context attributes it carries besides the global ones.
   */
  public record ActionShape(String name, Set<String> principals, Set<String> resources, Type.Record context) {
    public ActionShape {
      Objects.requireNonNull(name, "name is null");
      principals = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(principals));
      resources = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(resources));
      Objects.requireNonNull(context, "context is null");
    }

    /** Whether it applies to principals of {@code type}. */
    public boolean principalFits(String type) {
      return principals.isEmpty() || principals.contains(type);
    }

    /** Whether it applies to resources of {@code type}. */
    public boolean resourceFits(String type) {
      return resources.isEmpty() || resources.contains(type);
    }
  }

  private final Map<String, EntityType> entities;
  private final Optional<Type.Record> context;
  private final Map<String, ActionShape> actions;

  private Schema(Map<String, EntityType> entities, Optional<Type.Record> context, Map<String, ActionShape> actions) {
    this.entities = Collections.unmodifiableMap(new LinkedHashMap<>(entities));
    this.context = context;
    this.actions = Map.copyOf(actions);
  }

  /** A schema that declares nothing: every check against it passes. */
  public static Schema empty() {
    return new Schema(Map.of(), Optional.empty(), Map.of());
  }

  /**
   * The schema declared by {@code files}. Unknown type names ({@code BAD_TYPE}), parent
   * types that are not declared ({@code UNKNOWN_TYPE}) and attributes declared twice
   * ({@code DUPLICATE}) are added to {@code out}. A second declaration of the same entity
   * type or context is ignored here (the name checks report it).
   */
  public static Schema build(List<PolicyFile> files, List<Diagnostic> out) {
    Map<String, Decl.EntityDecl> entityDecls = new LinkedHashMap<>();
    Decl.ContextDecl contextDecl = null;
    Map<String, Decl.ActionDecl> actionDecls = new LinkedHashMap<>();
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.ActionDecl a) {
          actionDecls.putIfAbsent(a.name().name(), a);
        } else if (d instanceof Decl.EntityDecl e) {
          entityDecls.putIfAbsent(e.name().name(), e);
        } else if (d instanceof Decl.ContextDecl c && contextDecl == null) {
          contextDecl = c;
        }
      }
    }
    Set<String> names = entityDecls.keySet();
    Map<String, EntityType> entities = new LinkedHashMap<>();
    for (Decl.EntityDecl e : entityDecls.values()) {
      List<String> parents = new ArrayList<>();
      for (Ident p : e.parentTypes()) {
        if (!names.contains(p.name()) && !p.name().equals(DEFAULT_PRINCIPAL_TYPE)) {
          out.add(Namespaces.unknown(p.span(), p.name(), names, true).orElseGet(() -> Diagnostic.of(Code.UNKNOWN_TYPE,
              p.span(), "unknown entity type `" + p.name() + "`",
              Suggestions.didYouMean(p.name(), names).orElse("declare it with `entity " + p.name() + "`"))));
        }
        parents.add(p.name());
      }
      Type.Record attrs = e.attrs().map(r -> record(r, names, out)).orElse(Type.Record.unknown());
      entities.put(e.name().name(), new EntityType(e.name().name(), attrs, parents, e.span()));
    }
    Optional<Type.Record> context = contextDecl == null ? Optional.empty()
        : Optional.of(record(contextDecl.attrs(), names, out));
    Map<String, ActionShape> actions = new LinkedHashMap<>();
    for (Decl.ActionDecl a : actionDecls.values()) {
      actions.put(a.name().name(), shape(a, names, context, out));
    }
    return new Schema(entities, context, actions);
  }

  private static ActionShape shape(Decl.ActionDecl a, Set<String> entityNames, Optional<Type.Record> global,
      List<Diagnostic> out) {
    Set<String> principals = new java.util.LinkedHashSet<>();
    Set<String> resources = new java.util.LinkedHashSet<>();
    for (Ident t : a.principals()) {
      principals.add(knownType(t, entityNames, out));
    }
    for (Ident t : a.resources()) {
      resources.add(knownType(t, entityNames, out));
    }
    Type.Record own = a.context().map(r -> record(r, entityNames, out)).orElse(Type.Record.closed(Map.of()));
    for (TypeExpr.AttrDecl d : a.context().map(TypeExpr.RecordOf::attrs).orElse(List.of())) {
      String n = d.name().name();
      Type.Attr mine = own.attrs().get(n);
      Type.Attr theirs = global.map(g -> g.attrs().get(n)).orElse(CONTEXT_BUILTINS.get(n));
      if (mine != null && theirs != null && !mine.type().equals(theirs.type())) {
        out.add(Diagnostic.of(Code.ACTION_CONTEXT_CLASH, d.name().span(), "`context." + n + "` is a `"
            + mine.type().display() + "` for action `" + a.name().name() + "` but a `" + theirs.type().display()
            + "` in the " + (global.isPresent() && global.get().attrs().containsKey(n) ? "global `context`" : "request"),
            "an action's context adds to the global one; give `" + n + "` the same type, or another name"));
      }
    }
    return new ActionShape(a.name().name(), principals, resources, own);
  }

  /** {@code t}'s name, reported when the set declares entity types and it is not one of them. */
  private static String knownType(Ident t, Set<String> entityNames, List<Diagnostic> out) {
    String n = t.name();
    if (!entityNames.isEmpty() && !entityNames.contains(n) && !n.equals(DEFAULT_PRINCIPAL_TYPE)) {
      out.add(Namespaces.unknown(t.span(), n, entityNames, true).orElseGet(() -> Diagnostic.of(Code.UNKNOWN_TYPE,
          t.span(), "unknown entity type `" + n + "`",
          Suggestions.didYouMean(n, entityNames).orElse("declare it with `entity " + n + "`"))));
    }
    return n;
  }

  /** The shape {@code action NAME { … }} declares, if any. */
  public Optional<ActionShape> action(String name) {
    return Optional.ofNullable(actions.get(name));
  }

  /** Every declared action shape by action name. */
  public Map<String, ActionShape> actions() {
    return actions;
  }

  private static Type.Record record(TypeExpr.RecordOf r, Set<String> entityNames, List<Diagnostic> out) {
    Map<String, Type.Attr> attrs = new LinkedHashMap<>();
    Map<String, Span> first = new HashMap<>();
    for (TypeExpr.AttrDecl a : r.attrs()) {
      String n = a.name().name();
      if (first.containsKey(n)) {
        out.add(Diagnostic.of(Code.DUPLICATE, a.name().span(), "attribute `" + n + "` is declared twice",
            "remove one of them").withRelated(first.get(n), "first declared here"));
        continue;
      }
      first.put(n, a.name().span());
      attrs.put(n, new Type.Attr(type(a.type(), entityNames, out), a.optional()));
    }
    return Type.Record.closed(attrs);
  }

  private static Type type(TypeExpr t, Set<String> entityNames, List<Diagnostic> out) {
    if (t instanceof TypeExpr.RecordOf r) {
      return record(r, entityNames, out);
    }
    if (t instanceof TypeExpr.SetOf s) {
      return new Type.SetOf(type(s.element(), entityNames, out));
    }
    Ident name = ((TypeExpr.Named) t).name();
    Optional<Type.Primitive> p = Type.Primitive.named(name.name());
    if (p.isPresent()) {
      return p.get();
    }
    if (entityNames.contains(name.name()) || name.name().equals(DEFAULT_PRINCIPAL_TYPE)) {
      return Type.Entity.of(name.name()); // `User` is always known, declared or not
    }
    if (name.name().equals("Set")) {
      return Type.ANY_SET; // `Set` without an element type is reported by the parser
    }
    java.util.Optional<Diagnostic> ns = Namespaces.unknown(name.span(), name.name(), entityNames, true);
    if (ns.isPresent()) {
      out.add(ns.get());
      return Type.ANY;
    }
    List<String> known = new ArrayList<>();
    for (Type.Primitive q : Type.Primitive.values()) {
      known.add(q.display());
    }
    known.add("Set");
    known.addAll(entityNames);
    out.add(Diagnostic.of(Code.BAD_TYPE, name.span(), "unknown type `" + name.name() + "`",
        Suggestions.didYouMean(name.name(), known).orElse(
            "types are " + Suggestions.list(known.subList(0, Type.Primitive.values().length))
                + ", `Set<T>`, records `{ a: T }` and declared entity types")));
    return Type.ANY;
  }

  private static Map<String, Type.Attr> builtins(Object... kv) {
    Map<String, Type.Attr> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Type.Attr) kv[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Whether the set declares any entity type; unknown type names are errors only then. */
  public boolean declaresEntities() {
    return !entities.isEmpty();
  }

  public Optional<EntityType> entity(String name) {
    return Optional.ofNullable(entities.get(name));
  }

  /** Declared entity types by name, in declaration order. */
  public Map<String, EntityType> entities() {
    return entities;
  }

  public boolean declaresContext() {
    return context.isPresent();
  }

  /** {@code principal}: a {@code User} when that type is declared, else an entity of any type. */
  public Type.Entity principal() {
    return entities.containsKey(DEFAULT_PRINCIPAL_TYPE) ? Type.Entity.of(DEFAULT_PRINCIPAL_TYPE) : Type.ANY_ENTITY;
  }

  /** {@code resource} in a policy or derived role {@code on} this type; any entity for {@code on *}. */
  public Type.Entity resource(Optional<String> onType) {
    return onType.map(Type.Entity::of).orElse(Type.ANY_ENTITY);
  }

  /**
   * The attributes of {@code context}: the declared ones plus {@code now} and {@code intent},
   * or an open record when the set declares no context.
   */
  public Type.Record context() {
    Map<String, Type.Attr> attrs = new LinkedHashMap<>(CONTEXT_BUILTINS);
    if (context.isEmpty()) {
      // Undeclared, `intent` is not reported as optional: nothing about the context is checked.
      attrs.put(ContextKeys.INTENT, new Type.Attr(Type.STRING, false));
      return new Type.Record(attrs, true);
    }
    attrs.putAll(context.get().attrs());
    return Type.Record.closed(attrs);
  }

  /**
   * The attributes of an entity of type {@code e} as an expression sees them: the declared
   * ones plus {@code id} and {@code type} (and {@code roles} for the principal). Open when
   * the type is not declared or declared without attributes.
   */
  public Type.Record attributesOf(Type.Entity e, boolean principal) {
    Map<String, Type.Attr> builtins = principal ? PRINCIPAL_BUILTINS : ENTITY_BUILTINS;
    EntityType t = e.typeName().map(entities::get).orElse(null);
    if (t == null || t.attrs().open()) {
      return new Type.Record(builtins, true);
    }
    // Declared attributes first, so that messages listing them lead with what the user wrote.
    Map<String, Type.Attr> attrs = new LinkedHashMap<>(t.attrs().attrs());
    builtins.forEach(attrs::putIfAbsent);
    return Type.Record.closed(attrs);
  }

  /** Whether {@code path} names a field of the data of an {@code entityType} resource. */
  public boolean fieldPathExists(String entityType, FieldPath path) {
    return fieldPathProblem(entityType, path).isEmpty();
  }

  /** Why a field path does not exist, for a diagnostic: a message and a help. */
  record PathProblem(String message, String help) {}

  Optional<PathProblem> fieldPathProblem(String entityType, FieldPath path) {
    Type cur = Type.Entity.of(entityType);
    String where = entityType;
    List<FieldPath.Segment> segs = path.segments();
    for (int i = 0; i < segs.size(); i++) {
      FieldPath.Segment seg = segs.get(i);
      Type.Record rec;
      if (cur instanceof Type.Entity e) {
        rec = attributesOf(e, false);
      } else if (cur instanceof Type.Record r) {
        rec = r;
      } else if (cur instanceof Type.Any) {
        return Optional.empty();
      } else {
        return Optional.of(new PathProblem("`" + where + "` is a `" + cur.display() + "` and has no field `"
            + seg.name() + "`", "end the path at `" + prefix(path, i) + "`"));
      }
      if (rec.open()) {
        return Optional.empty();
      }
      Type.Attr attr = rec.attrs().get(seg.name());
      if (attr == null) {
        int at = i;
        String hint = Suggestions.closest(seg.name(), rec.attrs().keySet())
            .map(c -> "did you mean `" + replaced(path, at, c) + "`?")
            .orElse("`" + where + "` has " + Suggestions.list(rec.attrs().keySet()));
        return Optional.of(new PathProblem("unknown field `" + path.text() + "` on `" + entityType + "`", hint));
      }
      Type t = attr.type();
      where = where + "." + seg.name();
      if (seg.list()) {
        if (!(t instanceof Type.SetOf s)) {
          if (t instanceof Type.Any) {
            return Optional.empty();
          }
          return Optional.of(new PathProblem("`" + where + "` is a `" + t.display() + "`, not a list",
              "remove the `[]` after `" + seg.name() + "`"));
        }
        t = s.element();
      } else if (t instanceof Type.SetOf && i + 1 < segs.size()) {
        return Optional.of(new PathProblem("`" + where + "` is a list",
            "reach into its elements with `" + seg.name() + "[]`"));
      }
      cur = t;
    }
    return Optional.empty();
  }

  private static String prefix(FieldPath path, int segments) {
    return new FieldPath(path.segments().subList(0, segments), path.span()).text();
  }

  private static String replaced(FieldPath path, int index, String name) {
    List<FieldPath.Segment> segs = new ArrayList<>(path.segments());
    segs.set(index, new FieldPath.Segment(name, segs.get(index).list()));
    return new FieldPath(segs, path.span()).text();
  }
}

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

  private final Map<String, EntityType> entities;
  private final Optional<Type.Record> context;

  private Schema(Map<String, EntityType> entities, Optional<Type.Record> context) {
    this.entities = Collections.unmodifiableMap(new LinkedHashMap<>(entities));
    this.context = context;
  }

  /** A schema that declares nothing: every check against it passes. */
  public static Schema empty() {
    return new Schema(Map.of(), Optional.empty());
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
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        if (d instanceof Decl.EntityDecl e) {
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
    return new Schema(entities, context);
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

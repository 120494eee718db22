package dev.verdict.lang.types;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The static type of an attribute or expression, as the schema declares it and the type
 * checker infers it. {@link Any} stands for "unknown": the schema says nothing about the
 * value, so every use of it is accepted.
 *
 * <p>In policies the types are written {@code String}, {@code Number}, {@code Bool},
 * {@code Ip}, {@code Time}, {@code Duration}, {@code Set<T>}, {@code { a: T, b?: T }} and
 * entity type names.
 */
public sealed interface Type permits Type.Primitive, Type.SetOf, Type.Record, Type.Entity, Type.Any {

  Primitive STRING = Primitive.STRING;
  Primitive NUMBER = Primitive.NUMBER;
  Primitive BOOL = Primitive.BOOL;
  Primitive IP = Primitive.IP;
  Primitive TIME = Primitive.TIME;
  Primitive DURATION = Primitive.DURATION;
  Any ANY = Any.INSTANCE;
  /** A set whose elements are not known. */
  SetOf ANY_SET = new SetOf(Any.INSTANCE);
  /** An entity of any type. */
  Entity ANY_ENTITY = new Entity(Optional.empty());
  /** A record with any attributes. */
  Record ANY_RECORD = Record.unknown();

  /** How the type is written in a policy, e.g. {@code Set<String>}. */
  String display();

  /** The scalar types, each written by its name. */
  enum Primitive implements Type {
    STRING("String"), NUMBER("Number"), BOOL("Bool"), IP("Ip"), TIME("Time"), DURATION("Duration");

    private final String name;

    Primitive(String name) {
      this.name = name;
    }

    @Override
    public String display() {
      return name;
    }

    /** The primitive written {@code name} in a schema ({@code String}, {@code Ip}, …). */
    public static Optional<Primitive> named(String name) {
      for (Primitive p : values()) {
        if (p.name.equals(name)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  /** {@code Set<T>}; list literals have this type too. */
  record SetOf(Type element) implements Type {
    public SetOf {
      Objects.requireNonNull(element, "element is null");
    }

    @Override
    public String display() {
      return element instanceof Any ? "Set" : "Set<" + element.display() + ">";
    }
  }

  /** One attribute of a record type; {@code optional} when declared {@code name?: T}. */
  record Attr(Type type, boolean optional) {
    public Attr {
      Objects.requireNonNull(type, "type is null");
    }
  }

  /**
   * {@code { a: T, b?: T }}. An {@code open} record admits attributes it does not list, each
   * of unknown type; it stands for a part of the request no schema describes.
   */
  record Record(Map<String, Attr> attrs, boolean open) implements Type {
    public Record {
      attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
    }

    public static Record unknown() {
      return new Record(Map.of(), true);
    }

    public static Record closed(Map<String, Attr> attrs) {
      return new Record(attrs, false);
    }

    public Optional<Attr> attr(String name) {
      return Optional.ofNullable(attrs.get(name));
    }

    @Override
    public String display() {
      if (open && attrs.isEmpty()) {
        return "Record";
      }
      StringBuilder b = new StringBuilder("{ ");
      boolean first = true;
      for (Map.Entry<String, Attr> e : attrs.entrySet()) {
        if (!first) {
          b.append(", ");
        }
        first = false;
        b.append(e.getKey()).append(e.getValue().optional() ? "?: " : ": ").append(e.getValue().type().display());
      }
      return b.append(attrs.isEmpty() ? "}" : " }").toString();
    }
  }

  /** An entity of the named type, or of any type when {@code typeName} is empty. */
  record Entity(Optional<String> typeName) implements Type {
    public Entity {
      Objects.requireNonNull(typeName, "typeName is null");
    }

    public static Entity of(String typeName) {
      return new Entity(Optional.of(typeName));
    }

    @Override
    public String display() {
      return typeName.orElse("entity");
    }
  }

  /** Unknown: nothing is known about the value, so it is accepted everywhere. */
  enum Any implements Type {
    INSTANCE;

    @Override
    public String display() {
      return "any value";
    }
  }

  /**
   * Whether a value of type {@code actual} may be used where {@code expected} is wanted.
   * Unknown types are accepted both ways; a set or record of unknown shape accepts any set
   * or record; an entity of any type accepts every entity.
   */
  static boolean accepts(Type expected, Type actual) {
    if (expected instanceof Any || actual instanceof Any) {
      return true;
    }
    if (expected instanceof Primitive) {
      return expected == actual;
    }
    if (expected instanceof SetOf e) {
      return actual instanceof SetOf a && accepts(e.element(), a.element());
    }
    if (expected instanceof Entity e) {
      return actual instanceof Entity a
          && (e.typeName().isEmpty() || a.typeName().isEmpty() || e.typeName().equals(a.typeName()));
    }
    if (expected instanceof Record e) {
      if (!(actual instanceof Record a)) {
        return false;
      }
      if (e.open() || a.open()) {
        return true;
      }
      for (Map.Entry<String, Attr> x : e.attrs().entrySet()) {
        Attr got = a.attrs().get(x.getKey());
        if (got == null ? !x.getValue().optional() : !accepts(x.getValue().type(), got.type())) {
          return false;
        }
      }
      return a.attrs().keySet().stream().allMatch(e.attrs()::containsKey);
    }
    return false;
  }

  /**
   * Whether two values of these types can ever be equal, for {@code ==} and {@code !=}:
   * same kind of value (entities of different types compare, since a principal may be of
   * another type than the schema's default).
   */
  static boolean comparable(Type a, Type b) {
    if (a instanceof Any || b instanceof Any) {
      return true;
    }
    if (a instanceof Primitive) {
      return a == b;
    }
    if (a instanceof SetOf x) {
      return b instanceof SetOf y && comparable(x.element(), y.element());
    }
    if (a instanceof Entity) {
      return b instanceof Entity;
    }
    return a instanceof Record && b instanceof Record;
  }

  /** The one type covering both, or {@link Any} when they differ. */
  static Type join(Type a, Type b) {
    if (a.equals(b)) {
      return a;
    }
    if (a instanceof Entity && b instanceof Entity) {
      return ANY_ENTITY;
    }
    if (a instanceof SetOf x && b instanceof SetOf y) {
      return new SetOf(join(x.element(), y.element()));
    }
    return ANY;
  }
}

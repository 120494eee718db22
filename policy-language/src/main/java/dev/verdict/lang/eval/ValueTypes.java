package dev.verdict.lang.eval;

import dev.verdict.lang.check.Schema;
import dev.verdict.lang.data.EntityDataReader;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.syntax.Literals;
import dev.verdict.lang.types.IpAddress;
import dev.verdict.lang.types.Times;
import dev.verdict.lang.types.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declared types of a policy set's request and entity data, and the one conversion of
 * values as JSON carries them (strings, numbers, arrays, objects) into those types. Every
 * source of values goes through it: {@code verdict eval}, the HTTP APIs, the gateway, entity
 * data files and {@code test} blocks, so {@code "10.0.0.1"} declared {@code Ip} is an Ip
 * wherever it comes from. A value that does not fit its declared type is an error naming its
 * JSON path, never a silently different value. Undeclared attributes keep their generic reading.
 *
 * <p>Immutable; computed once when the set is compiled, applied once per request.
 */
public final class ValueTypes {
  /** No declarations: every value keeps its generic reading. */
  public static final ValueTypes NONE = new ValueTypes(Map.of(), Map.of(), Map.of());

  /**
   * What {@code action NAME { … }} declares, as a request is checked against it: the principal
   * and resource types (empty: any), its own context attributes' types and the required ones.
   */
  private record ActionTypes(Set<String> principals, Set<String> resources, Map<String, Type> context,
      Map<String, Type> required) {}

  /** Declared attributes per entity type (types declared without attributes are left out). */
  private final Map<String, Map<String, Type>> entities;
  private final Map<String, Type> context;
  private final Map<String, ActionTypes> actions;
  /** Whether any action declares a shape: asked on every decision, answered without the map. */
  private final boolean shapesActions;
  /** {@link #entities}' declarations, each as a reader asks for it (made once, not per entity read). */
  private final Map<String, AttributeTypes> attributeTypes;
  private final AttributeTypes contextTypes;

  private ValueTypes(Map<String, Map<String, Type>> entities, Map<String, Type> context,
      Map<String, ActionTypes> actions) {
    this.entities = entities;
    this.context = context;
    this.actions = actions;
    this.shapesActions = !actions.isEmpty();
    Map<String, AttributeTypes> byType = new HashMap<>();
    entities.forEach((type, declared) -> {
      if (!declared.isEmpty()) {
        byType.put(type, new AttributeTypes(declared));
      }
    });
    this.attributeTypes = Map.copyOf(byType);
    this.contextTypes = context.isEmpty() ? null : new AttributeTypes(context);
  }

  /** The types {@code schema} declares. */
  static ValueTypes of(Schema schema) {
    Map<String, Map<String, Type>> entities = new HashMap<>();
    schema.entities().forEach((name, t) -> {
      if (!t.attrs().attrs().isEmpty()) {
        entities.put(name, attrTypes(t.attrs()));
      }
    });
    Map<String, Type> context = new HashMap<>();
    if (schema.declaresContext()) {
      schema.context().attrs().forEach((k, a) -> context.put(k, a.type()));
    }
    Map<String, ActionTypes> actions = new HashMap<>();
    schema.actions().forEach((name, shape) -> {
      Map<String, Type> own = new LinkedHashMap<>();
      Map<String, Type> required = new LinkedHashMap<>();
      shape.context().attrs().forEach((k, a) -> {
        own.put(k, a.type());
        if (!a.optional()) {
          required.put(k, a.type());
        }
      });
      actions.put(name, new ActionTypes(shape.principals(), shape.resources(), PolicySet.lookup(own),
          Collections.unmodifiableMap(required)));
    });
    return new ValueTypes(PolicySet.lookup(entities), PolicySet.lookup(context), PolicySet.lookup(actions));
  }

  /**
   * {@code request} checked against what its action declares with {@code action NAME { … }}:
   * its principal and resource of the declared types, every required context attribute
   * present, and the action's own context attributes read by their types. A request for an
   * action that declares nothing is returned as it is.
   *
   * @throws Values.JsonValueException naming the JSON path of what does not fit
   */
  public Request forAction(Request request) throws Values.JsonValueException {
    if (!shapesActions) {
      return request;
    }
    Map<String, Value> converted = forAction(request.action(), request.principal().uid().type(),
        request.resource().uid().type(), request.context());
    return converted == request.context() ? request
        : new Request(request.principal(), request.resource(), request.action(), converted, request.entities());
  }

  /**
   * The same check for a request known only in part, such as a query plan (its resources are
   * known by their type) or a search (its subjects are): the principal and resource types
   * against the action's declared ones, its required context attributes present, and the
   * context with the action's own attributes read by their types (the same map when nothing
   * needed reading). Paths name the request's {@code $.principal.type}, {@code $.resource.type}
   * and {@code $.context}; callers whose request spells them otherwise rename them.
   *
   * @throws Values.JsonValueException naming the JSON path of what does not fit
   */
  public Map<String, Value> forAction(String action, String principalType, String resourceType,
      Map<String, Value> context) throws Values.JsonValueException {
    ActionTypes a = actions.isEmpty() ? null : actions.get(action);
    if (a == null) {
      return context;
    }
    if (!a.principals().isEmpty() && !a.principals().contains(principalType)) {
      throw new Values.JsonValueException("$.principal.type", "action `" + action
          + "` applies to principals of type " + listed(a.principals()) + ", not `" + principalType + "`");
    }
    if (!a.resources().isEmpty() && !a.resources().contains(resourceType)) {
      throw new Values.JsonValueException("$.resource.type", "action `" + action
          + "` applies to resources of type " + listed(a.resources()) + ", not `" + resourceType + "`");
    }
    for (Map.Entry<String, Type> r : a.required().entrySet()) {
      if (!context.containsKey(r.getKey())) {
        throw new Values.JsonValueException(EntityDataReader.child("$.context", r.getKey()), "action `"
            + action + "` requires this context attribute (a `" + r.getValue().display()
            + "`); send it in the request's context");
      }
    }
    return convertAll(context, a.context(), "$.context");
  }

  private static String listed(Set<String> types) {
    StringBuilder b = new StringBuilder();
    for (String t : types) {
      b.append(b.length() == 0 ? "" : " or ").append('`').append(t).append('`');
    }
    return b.toString();
  }

  private static Map<String, Type> attrTypes(Type.Record r) {
    Map<String, Type> out = new HashMap<>();
    r.attrs().forEach((k, a) -> out.put(k, a.type()));
    return Map.copyOf(out);
  }

  /** The declared type of the context attribute {@code name}, if any. */
  Optional<Type> contextType(String name) {
    return Optional.ofNullable(context.get(name));
  }

  /** The declared type of attribute {@code name} of entities of {@code entityType}, if any. */
  Optional<Type> attributeType(String entityType, String name) {
    Map<String, Type> attrs = entities.get(entityType);
    return attrs == null ? Optional.empty() : Optional.ofNullable(attrs.get(name));
  }

  /** A context, each declared attribute converted; {@code path} is the context's JSON path. */
  public Map<String, Value> context(Map<String, Value> values, String path) throws Values.JsonValueException {
    return convertAll(values, context, path);
  }

  /** Whether attributes of entities of {@code entityType} are declared (and so converted). */
  boolean declaresAttributes(String entityType) {
    return entities.containsKey(entityType);
  }

  /** The attributes of an entity of {@code entityType}; {@code path} is where they are written. */
  public Map<String, Value> attributes(String entityType, Map<String, Value> values, String path)
      throws Values.JsonValueException {
    Map<String, Type> declared = entities.get(entityType);
    return declared == null ? values : convertAll(values, declared, path);
  }

  /** {@code data} with its attributes converted by the types of its entity type. */
  public EntityData entity(EntityData data, String path) throws Values.JsonValueException {
    Map<String, Type> declared = entities.get(data.uid().type());
    if (declared == null) {
      return data;
    }
    return new EntityData(data.uid(), convertAll(data.attrs(), declared, path), data.parents(), data.parentsGiven());
  }

  /**
   * {@code values} converted by {@code declared}: the same map when every value already is of its
   * declared type (a reader that typed values as it read them, data converted before), so that
   * the common case copies nothing; otherwise a new map in the same order.
   */
  private static Map<String, Value> convertAll(Map<String, Value> values, Map<String, Type> declared, String path)
      throws Values.JsonValueException {
    if (declared.isEmpty() || values.isEmpty()) {
      return values;
    }
    Map<String, Value> out = null;
    for (Map.Entry<String, Value> e : values.entrySet()) {
      Value v = e.getValue();
      Value converted = converted(declared.get(e.getKey()), e.getKey(), v, path);
      if (out == null && converted != v) {
        // the first value that changes: the ones before it are kept as they are
        out = new LinkedHashMap<>();
        for (Map.Entry<String, Value> before : values.entrySet()) {
          if (before.getKey().equals(e.getKey())) {
            break;
          }
          out.put(before.getKey(), before.getValue());
        }
      }
      if (out != null) {
        out.put(e.getKey(), converted);
      }
    }
    return out == null ? values : out;
  }

  /** {@code v}, the value of {@code name}, as {@code t} (null: undeclared) types it; {@code path} is where {@code name} is. */
  private static Value converted(Type t, String name, Value v, String path) throws Values.JsonValueException {
    Value converted = t == null ? v : t instanceof Type.Primitive p ? fits(v, p) : null;
    // a value's path is spelt out only when reading it may report one
    return converted != null ? converted : convert(v, t, EntityDataReader.child(path, name));
  }

  /**
   * The declared attributes of entities of {@code entityType}, for a reader that types each
   * value as it reads it; null when none are declared (every value keeps its generic reading).
   * What it gives is what {@link #attributes} would make of the same value.
   */
  public AttributeTypes attributesOf(String entityType) {
    return attributeTypes.get(entityType);
  }

  /** The declared context attributes, as {@link #attributesOf} gives an entity type's; null when none are declared. */
  public AttributeTypes contextAttributes() {
    return contextTypes;
  }

  /** The declared attributes of one entity type or of the context (see {@link #attributesOf}). */
  public static final class AttributeTypes {
    private final Map<String, Type> declared;

    private AttributeTypes(Map<String, Type> declared) {
      this.declared = declared;
    }

    /** {@code v}, read for the attribute {@code name}, as declared; {@code path} is where the attributes are written. */
    public Value value(String name, Value v, String path) throws Values.JsonValueException {
      return converted(declared.get(name), name, v, path);
    }
  }

  /** {@code v} as the primitive {@code p} when it is one or reads as one, else null (then {@link #primitive} says why). */
  private static Value fits(Value v, Type.Primitive p) {
    switch (p) {
      case STRING:
        return v instanceof Value.Str ? v : null;
      case NUMBER:
        return v instanceof Value.Num ? v : null;
      case BOOL:
        return v instanceof Value.Bool ? v : null;
      case IP:
        if (v instanceof Value.Str s) {
          Optional<IpAddress> a = IpAddress.parse(s.value());
          return a.isPresent() ? new Value.Ip(a.get().bytes()) : null;
        }
        return v instanceof Value.Ip ? v : null;
      case TIME:
        if (v instanceof Value.Str s) {
          long at = Times.epochMillis(s.value());
          return at == Times.NOT_A_TIME ? null : new Value.Time(at);
        }
        return v instanceof Value.Time ? v : null;
      default:
        return v instanceof Value.Dur ? v : null; // durations from text take the general path
    }
  }

  /**
   * {@code v}, read generically from JSON or a test literal, as a value of type {@code t}:
   * strings become Ips, Times and Durations, {@code {"type", "id"}} objects entities; sets and
   * records are converted element by element. Values already of the type are kept.
   */
  static Value convert(Value v, Type t, String path) throws Values.JsonValueException {
    if (t instanceof Type.Any) {
      return v;
    }
    if (t instanceof Type.Primitive p) {
      return primitive(v, p, path);
    }
    if (t instanceof Type.SetOf s) {
      if (!(v instanceof Value.SetOf set)) {
        throw mismatch(path, t, v, "write a JSON array");
      }
      Set<Value> items = new LinkedHashSet<>();
      int i = 0;
      for (Value item : set.items()) {
        items.add(convert(item, s.element(), path + "[" + i++ + "]"));
      }
      return new Value.SetOf(items);
    }
    if (t instanceof Type.Record r) {
      if (!(v instanceof Value.Rec rec)) {
        throw mismatch(path, t, v, "write a JSON object");
      }
      Map<String, Type> fields = new HashMap<>();
      r.attrs().forEach((k, a) -> fields.put(k, a.type()));
      return new Value.Rec(convertAll(rec.fields(), fields, path));
    }
    return entity(v, (Type.Entity) t, path);
  }

  private static Value primitive(Value v, Type.Primitive p, String path) throws Values.JsonValueException {
    switch (p) {
      case STRING:
        if (v instanceof Value.Str) {
          return v;
        }
        throw mismatch(path, p, v, null);
      case NUMBER:
        if (v instanceof Value.Num) {
          return v;
        }
        throw mismatch(path, p, v, v instanceof Value.Str ? "write the number without quotes" : null);
      case BOOL:
        if (v instanceof Value.Bool) {
          return v;
        }
        throw mismatch(path, p, v, v instanceof Value.Str ? "write `true` or `false` without quotes" : null);
      case IP:
        if (v instanceof Value.Ip) {
          return v;
        }
        if (v instanceof Value.Str s) {
          Optional<IpAddress> a = IpAddress.parse(s.value());
          if (a.isPresent()) {
            return new Value.Ip(a.get().bytes());
          }
        }
        throw mismatch(path, p, v, "write an IPv4 or IPv6 address as a string, such as \"10.1.2.3\"");
      case TIME:
        if (v instanceof Value.Time) {
          return v;
        }
        if (v instanceof Value.Str s) {
          Optional<Instant> at = Times.parse(s.value());
          if (at.isPresent()) {
            return new Value.Time(at.get().toEpochMilli());
          }
        }
        throw mismatch(path, p, v, "write an RFC 3339 time as a string, such as \"2024-05-01T09:30:00Z\"");
      default:
        if (v instanceof Value.Dur) {
          return v;
        }
        if (v instanceof Value.Str s) {
          Duration d = Literals.duration(s.value());
          if (d != null) {
            return new Value.Dur(d.toMillis());
          }
        }
        throw mismatch(path, p, v, "write a duration as a string, such as \"90s\" or \"1h30m\"");
    }
  }

  /** An entity reference: {@code {"__entity": {"type", "id"}}} or {@code {"type", "id"}}. */
  private static Value entity(Value v, Type.Entity t, String path) throws Values.JsonValueException {
    EntityUid uid = null;
    if (v instanceof Value.Entity e) {
      uid = e.uid();
    } else if (v instanceof Value.Rec r && r.fields().size() == 2 && r.fields().get("type") instanceof Value.Str type
        && r.fields().get("id") instanceof Value.Str id && !type.value().isEmpty()) {
      uid = new EntityUid(type.value(), id.value());
    }
    String want = t.typeName().orElse("…");
    if (uid == null) {
      throw mismatch(path, t, v, "write an entity reference, such as {\"type\": \"" + want + "\", \"id\": \"…\"}");
    }
    if (t.typeName().isPresent() && !t.typeName().get().equals(uid.type())) {
      throw new Values.JsonValueException(path, "must be a `" + want + "`, found a `" + uid.type() + "`");
    }
    return new Value.Entity(uid);
  }

  private static Values.JsonValueException mismatch(String path, Type t, Value v, String help) {
    String found = v instanceof Value.Str s
        ? "the string " + Values.display(new Value.Str(s.value().length() > 40 ? s.value().substring(0, 37) + "…" : s.value()))
        : "a " + v.kind();
    String d = t instanceof Type.Record ? "record" : t.display();
    String article = "AEIOU".indexOf(d.charAt(0)) >= 0 ? "an " : "a ";
    return new Values.JsonValueException(path, "must be " + article + "`" + d + "` (as declared), found " + found
        + (help == null ? "" : "; " + help));
  }
}

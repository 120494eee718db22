package dev.verdict.lang.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.data.EntityDataFile;
import dev.verdict.lang.data.EntityDataReader;
import dev.verdict.lang.data.EntityHierarchy;
import dev.verdict.lang.data.EntityRecord;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.syntax.Literals;
import dev.verdict.lang.types.IpAddress;
import dev.verdict.lang.types.Times;
import dev.verdict.lang.types.Type;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks the entity data files of a policy set: their JSON shape, the hierarchy they form
 * across all files (duplicates, cycles, depth), and, for each entity of a declared type, its
 * attributes and parent types against the {@link Schema}. Entities of undeclared types are
 * checked for shape only; an unknown type is reported only when the set declares entities.
 * Attributes a declared type requires may be left out: a data file may carry only the
 * hierarchy, and the request may bring the rest.
 */
final class EntityDataPass {
  private final Schema schema;
  private final List<Diagnostic> out;
  private final Map<EntityRecord, EntityDataFile> fileOf = new IdentityHashMap<>();

  private EntityDataPass(Schema schema, List<Diagnostic> out) {
    this.schema = schema;
    this.out = out;
  }

  static void check(List<EntityDataFile> dataFiles, Schema schema, List<Diagnostic> out) {
    EntityDataPass pass = new EntityDataPass(schema, out);
    List<EntityRecord> all = new ArrayList<>();
    for (EntityDataFile data : dataFiles) {
      out.addAll(data.diagnostics());
      for (EntityRecord r : data.records()) {
        pass.fileOf.put(r, data);
        all.add(r);
      }
    }
    EntityHierarchy.build(all, pass::span, out);
    for (EntityRecord r : all) {
      pass.entity(r);
    }
  }

  private Span span(EntityRecord r, String path) {
    return fileOf.get(r).spanAt(path, r.span());
  }

  private boolean known(EntityRecord r, String path) {
    return fileOf.get(r).positions().containsKey(path);
  }

  private void error(Code code, EntityRecord r, String path, String message, String help) {
    out.add(Diagnostic.of(code, span(r, path), message, help).withJsonPath(path));
  }

  private void entity(EntityRecord r) {
    String type = r.uid().type();
    Schema.EntityType declared = schema.entity(type).orElse(null);
    if (declared == null) {
      unknownType(r, r.jsonPath() + ".uid", type);
    } else {
      attributes(r, declared);
    }
    for (int i = 0; i < r.parents().size(); i++) {
      EntityUid p = r.parents().get(i);
      String path = r.jsonPath() + ".parents[" + i + "]";
      if (schema.entity(p.type()).isEmpty()) {
        unknownType(r, path, p.type());
      } else if (declared != null && !declared.parentTypes().contains(p.type())) {
        String allows = declared.parentTypes().isEmpty()
            ? "`entity " + type + "` allows no parents"
            : "`entity " + type + " in " + String.join(", ", declared.parentTypes()) + "` allows "
                + Suggestions.list(declared.parentTypes());
        error(Code.DATA_BAD_PARENT, r, path, "`" + type + "` cannot be in `" + p.type() + "`; " + allows,
            "declare `entity " + type + " in " + p.type() + "` if it may, or fix the parent");
      }
    }
  }

  private void unknownType(EntityRecord r, String path, String type) {
    if (!schema.declaresEntities() || type.equals(Schema.DEFAULT_PRINCIPAL_TYPE)) {
      // `User` is always known, declared or not; undeclared, its attributes are not checked.
      return;
    }
    String typePath = path + (known(r, path + ".__entity.type") ? ".__entity.type" : ".type");
    String message = "unknown entity type `" + type + "`";
    String ns = Namespaces.of(type);
    if (!ns.isEmpty() && !Namespaces.declared(schema.entities().keySet()).contains(ns)) {
      message += ": no declared type is in namespace `" + ns + "`";
    }
    error(Code.DATA_UNKNOWN_TYPE, r, typePath, message,
        Suggestions.didYouMean(type, schema.entities().keySet())
            .orElse("declared types are " + Suggestions.list(schema.entities().keySet())));
  }

  private void attributes(EntityRecord r, Schema.EntityType declared) {
    if (declared.attrs().open()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : r.attrs().entrySet()) {
      String path = EntityDataReader.child(r.jsonPath() + ".attrs", e.getKey());
      Type.Attr attr = declared.attrs().attrs().get(e.getKey());
      if (attr == null && e.getKey().equals(ROLES)) {
        // built in, as on a principal: a directory's roles need no schema line
        value(r, path, e.getKey(), e.getValue(), new Type.SetOf(Type.STRING), true);
      } else if (attr == null) {
        unknownAttribute(r, path, e.getKey(), declared.name(), declared.attrs());
      } else {
        value(r, path, e.getKey(), e.getValue(), attr.type(), attr.optional());
      }
    }
  }

  private static final String ROLES = "roles";

  private void unknownAttribute(EntityRecord r, String path, String name, String on, Type.Record rec) {
    String keyPath = "key:" + path;
    out.add(Diagnostic.of(Code.DATA_UNKNOWN_ATTRIBUTE, known(r, keyPath) ? span(r, keyPath) : span(r, path),
        "unknown attribute `" + name + "` on `" + on + "`",
        Suggestions.didYouMean(name, rec.attrs().keySet())
            .orElse(rec.attrs().isEmpty() ? "`" + on + "` declares no attributes"
                : "`" + on + "` has " + Suggestions.list(rec.attrs().keySet()))).withJsonPath(path));
  }

  /** Checks a JSON value against its declared type; {@code name} names it in messages. */
  private void value(EntityRecord r, String path, String name, JsonNode v, Type t, boolean optional) {
    if (t instanceof Type.Any) {
      return;
    }
    if (v.isNull()) {
      mismatch(r, path, name, t, v, optional ? "leave an optional attribute out instead of writing `null`" : null);
      return;
    }
    if (t instanceof Type.Primitive p) {
      boolean ok = switch (p) {
        case STRING -> v.isTextual();
        case NUMBER -> v.isNumber();
        case BOOL -> v.isBoolean();
        case IP -> v.isTextual() && IpAddress.parse(v.asText()).isPresent();
        case TIME -> v.isTextual() && Times.parse(v.asText()).isPresent();
        case DURATION -> v.isTextual() && Literals.duration(v.asText()) != null;
      };
      if (!ok) {
        String help = switch (p) {
          case IP -> "write an address as a string, such as `\"10.1.2.3\"`";
          case TIME -> "write an RFC 3339 time as a string, such as `\"2024-05-01T09:30:00Z\"`";
          case DURATION -> "write a duration as a string, such as `\"90s\"` or `\"1h30m\"`";
          case NUMBER -> v.isTextual() ? "write the number without quotes" : null;
          case BOOL -> v.isTextual() ? "write `true` or `false` without quotes" : null;
          default -> null;
        };
        mismatch(r, path, name, t, v, help);
      }
    } else if (t instanceof Type.SetOf s) {
      if (!v.isArray()) {
        mismatch(r, path, name, t, v, "write a JSON array");
        return;
      }
      for (int i = 0; i < v.size(); i++) {
        value(r, path + "[" + i + "]", name + "[" + i + "]", v.get(i), s.element(), false);
      }
    } else if (t instanceof Type.Record rec) {
      if (!v.isObject()) {
        mismatch(r, path, name, t, v, "write a JSON object");
        return;
      }
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = EntityDataReader.child(path, e.getKey());
        Type.Attr a = rec.attrs().get(e.getKey());
        if (a == null) {
          if (!rec.open()) {
            unknownAttribute(r, child, e.getKey(), r.uid().type() + "." + name, rec);
          }
        } else {
          value(r, child, name + "." + e.getKey(), e.getValue(), a.type(), a.optional());
        }
      }
    } else if (t instanceof Type.Entity en) {
      JsonNode ref = v.has("__entity") ? v.get("__entity") : v;
      boolean shape = v.isObject() && ref.isObject() && ref.size() == 2 && ref.path("type").isTextual()
          && ref.path("id").isTextual();
      if (!shape) {
        mismatch(r, path, name, t, v, "write `{\"__entity\": {\"type\": \"" + en.typeName().orElse("…")
            + "\", \"id\": \"…\"}}`");
      } else if (en.typeName().isPresent() && !en.typeName().get().equals(ref.get("type").asText())) {
        error(Code.DATA_TYPE_MISMATCH, r, path, "`" + name + "` of `" + r.uid() + "` must be a `"
            + en.typeName().get() + "`, found a `" + ref.get("type").asText() + "`", null);
      }
    }
  }

  private void mismatch(EntityRecord r, String path, String name, Type t, JsonNode v, String help) {
    String found = EntityDataReader.kind(v);
    if (v.isTextual() && !(t instanceof Type.SetOf) && !(t instanceof Type.Record)) {
      String text = v.asText();
      found = "`" + Literals.quote(text.length() > 40 ? text.substring(0, 37) + "…" : text) + "`";
    }
    error(Code.DATA_TYPE_MISMATCH, r, path, "`" + name + "` of `" + r.uid() + "` must be "
        + article(t) + ", found " + found, help);
  }

  private static String article(Type t) {
    if (t instanceof Type.Record) {
      return "a record";
    }
    String d = t.display();
    return ("AEIOU".indexOf(d.charAt(0)) >= 0 ? "an `" : "a `") + d + "`";
  }
}

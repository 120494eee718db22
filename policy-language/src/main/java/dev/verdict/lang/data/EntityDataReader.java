package dev.verdict.lang.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.types.Numbers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads entity data ({@code *.entities.json}, and the same shape at runtime): a JSON array of
 * {@code {"uid": {"type", "id"}, "attrs": {…}, "parents": [{"type", "id"}, …]}}.
 *
 * <p>Never throws on any input. Input is bounded: JSON nesting at most {@value #MAX_DEPTH},
 * strings and keys at most {@value #MAX_STRING_LENGTH} characters, at most
 * {@value #MAX_ENTITIES} entities. Every problem is a diagnostic with a line, a column and a
 * JSON path. Malformed JSON stops the reading (nothing after it can be trusted); a wrong
 * shape only drops the piece that has it.
 */
public final class EntityDataReader {
  public static final int MAX_DEPTH = 32;
  public static final int MAX_STRING_LENGTH = 64 * 1024;
  public static final int MAX_ENTITIES = 1_000_000;

  /** A type name, maybe in namespaces: {@code User}, {@code App::User}. */
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH + 2) // a backstop; the reader stops at MAX_DEPTH itself
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNameLength(MAX_STRING_LENGTH)
          .maxNumberLength(100)
          .build())
      .build();

  private final String file;
  private final boolean keepPositions;
  private final List<Diagnostic> diags = new ArrayList<>();
  private final List<EntityRecord> records = new ArrayList<>();
  private final Map<String, Span> positions = new HashMap<>();
  /** Positions of the entity being read; kept only when asked for. */
  private final Map<String, Span> local = new HashMap<>();
  private JsonParser parser;

  private EntityDataReader(String file, boolean keepPositions) {
    this.file = file;
    this.keepPositions = keepPositions;
  }

  /** Reads a file's entities, keeping the position of every value for diagnostics. */
  public static EntityDataFile read(Source source) {
    return read(source.name(), source.text(), true);
  }

  /**
   * Reads entities from {@code text}, reported under {@code name}. Without
   * {@code keepPositions} only each entity's own span is kept, which is what a server
   * loading a large file wants.
   */
  public static EntityDataFile read(String name, String text, boolean keepPositions) {
    EntityDataReader r = new EntityDataReader(name, keepPositions);
    r.run(text);
    return new EntityDataFile(r.records, r.diags, r.positions);
  }

  private void run(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      parser = p;
      readTop();
    } catch (StopReading e) {
      // reported where it was raised
    } catch (StreamConstraintsException e) {
      constraint(e);
    } catch (JsonProcessingException e) {
      malformed(e);
    } catch (IOException | RuntimeException e) {
      // Reading a string cannot fail with I/O; anything else is reported, never thrown.
      diags.add(Diagnostic.of(Code.BAD_JSON, here(), "entity data cannot be read: " + lower(e.getMessage()))
          .withJsonPath("$"));
    }
  }

  private void readTop() throws IOException {
    JsonToken t = parser.nextToken();
    if (t == null) {
      error(Span.ofFile(file), "$", "entity data file is empty", "write a JSON array of entities, e.g. `[]`");
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      error(tokenSpan(), "$", "entity data must be a JSON array of entities, found " + kind(t),
          "wrap the entities in `[` and `]`");
      return;
    }
    int index = 0;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new JsonParseException(parser, "Unexpected end-of-input in array");
      }
      String path = "$[" + index + "]";
      if (index == MAX_ENTITIES) {
        error(tokenSpan(), path, "entity data has more than " + MAX_ENTITIES + " entities",
            "split it into several files or use an entity store");
        return;
      }
      local.clear();
      Span start = tokenSpan();
      JsonNode value = readValue(path, 2);
      if (value instanceof ObjectNode o) {
        entity(o, start.to(local.get(path)), path);
      } else {
        error(local.getOrDefault(path, start), path, "an entity must be a JSON object, found " + kind(value),
            "write `{\"uid\": {\"type\": \"…\", \"id\": \"…\"}, \"attrs\": {}, \"parents\": []}`");
      }
      if (keepPositions) {
        positions.putAll(local);
      }
      index++;
    }
    Span end = tokenSpan();
    t = parser.nextToken();
    if (t != null) {
      error(tokenSpan(), "$", "unexpected " + kind(t) + " after the array of entities",
          "an entity data file holds one JSON array; the array closes at line " + end.line());
    }
  }

  // ---- generic JSON values with positions

  /** Reads the value at the current token into a tree, recording the span of every value. */
  private JsonNode readValue(String path, int depth) throws IOException {
    JsonToken t = parser.currentToken();
    Span start = tokenSpan();
    if (depth > MAX_DEPTH && (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT)) {
      error(start, path, "JSON nested deeper than " + MAX_DEPTH + " levels", "flatten the attribute values");
      throw new StopReading();
    }
    JsonNode node;
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        JsonToken k;
        while ((k = parser.nextToken()) == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          Span keySpan = keySpan(key);
          String child = child(path, key);
          parser.nextToken();
          JsonNode v = readValue(child, depth + 1);
          if (o.has(key)) {
            error(keySpan, child, "key `" + key + "` appears twice in one object",
                "keep one; JSON readers disagree on which one wins");
          } else {
            o.set(key, v);
            local.put("key:" + child, keySpan);
          }
        }
        if (k != JsonToken.END_OBJECT) {
          throw new JsonParseException(parser, "Unexpected end-of-input in object");
        }
        node = o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          if (parser.currentToken() == null) {
            throw new JsonParseException(parser, "Unexpected end-of-input in array");
          }
          a.add(readValue(path + "[" + i++ + "]", depth + 1));
        }
        node = a;
      }
      case VALUE_STRING -> node = NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        java.math.BigDecimal d = parser.getDecimalValue();
        if (!Numbers.inBounds(d)) {
          // Reported here, with its place; the value is kept so the rest of the file is still read.
          error(start.to(endSpan()), path, "number out of range", Numbers.BOUNDS);
          d = java.math.BigDecimal.ZERO;
        }
        node = t == JsonToken.VALUE_NUMBER_INT ? NODES.numberNode(d.toBigIntegerExact()) : NODES.numberNode(d);
      }
      case VALUE_TRUE -> node = NODES.booleanNode(true);
      case VALUE_FALSE -> node = NODES.booleanNode(false);
      default -> node = NODES.nullNode();
    }
    local.put(path, start.to(endSpan()));
    return node;
  }

  /** Unwinds the reading after a problem that leaves the rest of the input untrustworthy. */
  private static final class StopReading extends RuntimeException {
    StopReading() {
      super(null, null, false, false);
    }
  }

  // ---- the shape of an entity

  private void entity(ObjectNode o, Span span, String path) {
    Iterator<String> keys = o.fieldNames();
    while (keys.hasNext()) {
      String k = keys.next();
      if (!k.equals("uid") && !k.equals("attrs") && !k.equals("parents")) {
        String hint = switch (k.toLowerCase(java.util.Locale.ROOT)) {
          case "id", "type", "entity", "__entity" -> "put the type and id in `\"uid\": {\"type\": …, \"id\": …}`";
          case "attributes", "attr", "atrs", "attrs " -> "did you mean `attrs`?";
          case "parent", "parents ", "memberof", "in" -> "did you mean `parents`?";
          default -> "an entity has `uid`, `attrs` and `parents`";
        };
        error(at("key:" + child(path, k), span), child(path, k), "unknown key `" + k + "` in an entity", hint);
      }
    }
    JsonNode uidNode = o.get("uid");
    if (uidNode == null) {
      error(span, path, "entity has no `uid`", "add `\"uid\": {\"type\": \"…\", \"id\": \"…\"}`");
      return;
    }
    EntityUid uid = uid(uidNode, path + ".uid", "uid");
    if (uid == null) {
      return;
    }
    Map<String, JsonNode> attrs = new LinkedHashMap<>();
    JsonNode a = o.get("attrs");
    if (a != null && !(a instanceof ObjectNode)) {
      error(at(path + ".attrs", span), path + ".attrs", "`attrs` must be a JSON object, found " + kind(a),
          "write the attributes as `{\"name\": value, …}`");
    } else if (a != null) {
      Iterator<Map.Entry<String, JsonNode>> it = a.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (entityRefsValid(e.getValue(), child(path + ".attrs", e.getKey()))) {
          attrs.put(e.getKey(), e.getValue());
        }
      }
    }
    List<EntityUid> parents = new ArrayList<>();
    JsonNode ps = o.get("parents");
    if (ps != null && !ps.isArray()) {
      error(at(path + ".parents", span), path + ".parents", "`parents` must be a JSON array, found " + kind(ps),
          "write `\"parents\": [{\"type\": \"…\", \"id\": \"…\"}]`");
    } else if (ps != null) {
      for (int i = 0; i < ps.size(); i++) {
        EntityUid p = uid(ps.get(i), path + ".parents[" + i + "]", "parent");
        if (p != null) {
          parents.add(p);
        }
      }
    }
    records.add(new EntityRecord(uid, attrs, parents, span, path));
  }

  /** A uid written {@code {"type", "id"}} or {@code {"__entity": {"type", "id"}}}; null if malformed. */
  private EntityUid uid(JsonNode n, String path, String what) {
    JsonNode inner = n;
    String innerPath = path;
    if (n instanceof ObjectNode o && o.size() == 1 && o.has("__entity")) {
      inner = o.get("__entity");
      innerPath = path + ".__entity";
    }
    Span span = at(path, Span.ofFile(file));
    if (!(inner instanceof ObjectNode o)) {
      error(span, path, "`" + what + "` must be an object with a `type` and an `id`, found " + kind(n),
          "write `{\"type\": \"Group\", \"id\": \"eng\"}`");
      return null;
    }
    JsonNode type = o.get("type");
    JsonNode id = o.get("id");
    if (type == null || id == null || !type.isTextual() || !id.isTextual() || o.size() != 2) {
      String problem = type == null ? "has no `type`" : id == null ? "has no `id`"
          : !type.isTextual() ? "has a `type` that is not a string"
          : !id.isTextual() ? "has an `id` that is not a string" : "has keys other than `type` and `id`";
      error(span, path, "`" + what + "` " + problem, "write `{\"type\": \"Group\", \"id\": \"eng\"}`");
      return null;
    }
    if (!TYPE_NAME.matcher(type.asText()).matches()) {
      error(at(innerPath + ".type", span), innerPath + ".type", "`" + shorten(type.asText())
          + "` is not an entity type name", "type names are letters, digits and `_`, starting with a letter; namespaces come first, joined by `::` (`App::User`)");
      return null;
    }
    return new EntityUid(type.asText(), id.asText());
  }

  /** Every {@code {"__entity": …}} inside an attribute value must be a well-formed uid. */
  private boolean entityRefsValid(JsonNode v, String path) {
    if (v instanceof ObjectNode o) {
      if (o.has("__entity")) {
        if (o.size() != 1) {
          error(at(path, Span.ofFile(file)), path, "an entity reference has only the key `__entity`",
              "write `{\"__entity\": {\"type\": \"…\", \"id\": \"…\"}}`");
          return false;
        }
        return uid(o, path, "__entity") != null;
      }
      boolean ok = true;
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        ok &= entityRefsValid(e.getValue(), child(path, e.getKey()));
      }
      return ok;
    }
    if (v instanceof ArrayNode a) {
      boolean ok = true;
      for (int i = 0; i < a.size(); i++) {
        ok &= entityRefsValid(a.get(i), path + "[" + i + "]");
      }
      return ok;
    }
    return true;
  }

  // ---- positions and messages

  /** {@code $[0].attrs.owner}, or {@code $[0].attrs["two words"]} for keys that are not names. */
  public static String child(String path, String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return path + "." + key;
    }
    StringBuilder b = new StringBuilder(path).append("[\"");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c < 0x20 ? ' ' : c);
    }
    return b.append("\"]").toString();
  }

  private Span at(String path, Span fallback) {
    Span s = local.get(path);
    return s != null ? s : fallback;
  }

  /** The key as written, quotes included (escapes inside keys are rare enough to ignore). */
  private Span keySpan(String key) {
    Span s = tokenSpan();
    int width = Math.min(key.length() + 2, MAX_STRING_LENGTH);
    return new Span(file, s.line(), s.column(), s.line(), s.column() + width, s.start(), s.start() + width);
  }

  private Span tokenSpan() {
    return span(parser.currentTokenLocation());
  }

  /** Just past the current token. A string is read first: its end is known only then. */
  private Span endSpan() throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      parser.getText();
    }
    JsonLocation l = parser.currentLocation();
    return new Span(file, l.getLineNr(), l.getColumnNr(), l.getLineNr(), l.getColumnNr(), (int) l.getCharOffset(),
        (int) l.getCharOffset());
  }

  private Span span(JsonLocation l) {
    int line = Math.max(1, l.getLineNr());
    int col = Math.max(1, l.getColumnNr());
    return new Span(file, line, col, line, col + 1, (int) l.getCharOffset(), (int) l.getCharOffset() + 1);
  }

  private Span here() {
    return parser == null ? Span.ofFile(file) : span(parser.currentLocation());
  }

  private void error(Span span, String path, String message, String help) {
    diags.add(Diagnostic.of(Code.BAD_JSON, span, message, help).withJsonPath(path));
  }

  private void constraint(StreamConstraintsException e) {
    String m = String.valueOf(e.getMessage());
    String message;
    String help;
    if (m.contains("nesting depth")) {
      message = "JSON nested deeper than " + MAX_DEPTH + " levels";
      help = "flatten the attribute values";
    } else if (m.contains("Number")) {
      message = "number with more than 100 digits";
      help = "write a shorter number";
    } else {
      message = "string longer than " + MAX_STRING_LENGTH + " characters";
      help = "entity data holds attributes, not documents; shorten the value";
    }
    diags.add(Diagnostic.of(Code.BAD_JSON, here(), message, help).withJsonPath("$"));
  }

  private void malformed(JsonProcessingException e) {
    String original = String.valueOf(e.getOriginalMessage());
    String message;
    String help = null;
    if (original.startsWith("Unexpected end-of-input")) {
      message = "JSON ends before every `[` and `{` is closed";
      help = "the file may be truncated";
    } else if (original.startsWith("Unexpected character")) {
      int q = original.indexOf("('");
      int q2 = q < 0 ? -1 : original.indexOf("'", q + 2);
      String ch = q >= 0 && q2 > q ? original.substring(q + 2, q2) : "?";
      int was = original.indexOf("was expecting ");
      String expecting = was < 0 ? "" : ": expected " + original.substring(was + 14).replace("\n", " ")
          .replaceAll("\\s*\\(.*$", "").replace("double-quote", "`\"`")
          .replace("comma to separate Object entries", "`,` between the entries of an object")
          .replace("comma to separate Array entries", "`,` between the elements of an array");
      message = "unexpected `" + ch + "` in JSON" + expecting;
    } else if (original.startsWith("Unrecognized token")) {
      int q = original.indexOf('\'');
      int q2 = q < 0 ? -1 : original.indexOf('\'', q + 1);
      String tok = q >= 0 && q2 > q ? original.substring(q + 1, q2) : "?";
      message = "unexpected `" + shorten(tok) + "` in JSON";
      help = "strings are written in double quotes; the other values are numbers, `true`, `false`, `null`, arrays and objects";
    } else {
      message = "malformed JSON: " + lower(original.split("\n")[0]).replaceAll("\\s*\\(code \\d+\\)", "");
    }
    JsonLocation l = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
    diags.add(Diagnostic.of(Code.BAD_JSON, span(l), message, help).withJsonPath("$"));
  }

  private static String kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "`" + t.asString() + "`";
    };
  }

  /** "a string", "an object", … for messages. */
  public static String kind(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "null";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    return n.isBoolean() ? "a boolean" : "a value";
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "…" : s;
  }

  private static String lower(String s) {
    if (s == null || s.isEmpty()) {
      return "unknown problem";
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}

package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.types.Numbers;
import dev.verdict.server.http.JsonCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * AuthZEN evaluation bodies read from their bytes straight into the engine's requests, in one
 * pass and without a JSON tree: for the well-formed requests that are nearly all of them.
 *
 * <p>It reads only what it can read exactly as {@link AuthZenCodec} reads the tree. Anything
 * else (malformed JSON, a duplicate member, a bound exceeded, something after the document, a
 * member of the wrong JSON type, a value that does not fit its declared type, a batch too
 * large or an item that is not an object) makes it give up with {@code null}, and the caller
 * reads the body again as a tree, which reports the error as it always has: same code,
 * message and path, whatever order the members came in. Refusals cost a second parse; answers
 * do not. The members are read as they come (a stream may meet {@code context} before
 * {@code subject}) into raw parts holding generic values, which depend on nothing declared;
 * the parts are typed by the policy set's declarations only once the whole document has been
 * read and is known to be valid JSON.
 */
public final class AuthZenReader {
  /** The reader gives up: the tree will say why. Thrown without a stack trace. */
  private static final class GiveUp extends Exception {
    GiveUp() {
      super(null, null, false, false);
    }
  }

  private static final GiveUp GIVE_UP = new GiveUp();

  /** What an evaluation object (the body or a batch's item) says, as read; null members are absent. */
  private static final class Raw {
    RawEntity subject;
    RawEntity resource;
    String action;
    Map<String, Value> context;
    /** Top level only: the Verdict extension member {@code entities}, kept as its tree (it is rare). */
    JsonNode entities;
    /** Top level of a batch only. */
    List<Raw> items = List.of();
    AuthZenHandlers.Semantic semantic = AuthZenHandlers.Semantic.EXECUTE_ALL;
  }

  /** A subject or resource as read: its properties as generic values. */
  private record RawEntity(String type, String id, Map<String, Value> attributes, List<EntityUid> parents,
      boolean parentsGiven) {}

  /** A batch read: its items' evaluations in order, or none when the body is one evaluation. */
  record Batch(Evaluation single, List<Evaluation> items, AuthZenHandlers.Semantic semantic) {}

  private enum Level { EVALUATION, BATCH, ITEM }

  /**
   * Where the values being typed are said to be, for the messages of values that do not fit:
   * never shown, since such a value makes the reader give up and the tree reports it with its
   * path. A path spelt out for each entity would cost a string per entity on every request.
   */
  private static final String UNSHOWN = "$";

  /** Whether every long (at most 19 digits) is within the bounds on numbers: then they need no counting. */
  private static final boolean LONGS_IN_BOUNDS = Numbers.MAX_DIGITS >= 19;

  private AuthZenReader() {}

  /**
   * The body of {@code /access/v1/evaluation} as the engine's request, its values read as
   * {@code types} declares them; null when the body is not one this reader takes (read it as a
   * tree: that reports the error).
   */
  public static Request evaluation(byte[] body, ValueTypes types) {
    return body == null ? null : evaluation(body, 0, body.length, types);
  }

  /**
   * The same for the body in {@code bytes[offset, offset + length)}: read where it was
   * received, without a copy.
   */
  public static Request evaluation(byte[] bytes, int offset, int length, ValueTypes types) {
    try {
      Raw top = document(bytes, offset, length, Level.EVALUATION, 0);
      return request(types, top.subject, top.resource, top.action, top.context, entities(types, top));
    } catch (GiveUp | IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The body of {@code /access/v1/evaluations}: without items, one evaluation; else each item
   * with the top level's members as its defaults. Null as for {@link #evaluation}.
   */
  static Batch evaluations(byte[] bytes, int offset, int length, ValueTypes types, int maxItems) {
    try {
      Raw top = document(bytes, offset, length, Level.BATCH, maxItems);
      List<EntityData> entities = entities(types, top);
      if (top.items.isEmpty()) {
        Request r = request(types, top.subject, top.resource, top.action, top.context, entities);
        return new Batch(Evaluation.topLevel(r), List.of(), top.semantic);
      }
      // the defaults are typed once for every item that takes them
      EntityData subject = top.subject == null ? null : entity(types, top.subject);
      EntityData resource = top.resource == null ? null : entity(types, top.resource);
      Map<String, Value> context = top.context == null ? null : context(types, top.context);
      List<Evaluation> out = new ArrayList<>(top.items.size());
      for (int i = 0; i < top.items.size(); i++) {
        Raw item = top.items.get(i);
        String at = "$.evaluations[" + i + "]";
        String subjectPath = item.subject == null ? Evaluation.SUBJECT : at + ".subject";
        String resourcePath = item.resource == null ? Evaluation.RESOURCE : at + ".resource";
        String contextPath = item.context == null ? Evaluation.CONTEXT : at + ".context";
        EntityData s = item.subject == null ? subject : entity(types, item.subject);
        EntityData r = item.resource == null ? resource : entity(types, item.resource);
        String action = item.action == null ? top.action : item.action;
        Map<String, Value> ctx = item.context == null ? context : context(types, item.context);
        if (s == null || r == null || action == null) {
          throw GIVE_UP;
        }
        out.add(new Evaluation(new Request(s, r, action, ctx == null ? Map.of() : ctx, entities), subjectPath,
            resourcePath, contextPath));
      }
      return new Batch(null, out, top.semantic);
    } catch (GiveUp | IOException | RuntimeException e) {
      return null;
    }
  }

  private static Request request(ValueTypes types, RawEntity subject, RawEntity resource, String action,
      Map<String, Value> context, List<EntityData> entities) throws GiveUp {
    if (subject == null || resource == null || action == null) {
      throw GIVE_UP;
    }
    return new Request(entity(types, subject), entity(types, resource), action,
        context == null ? Map.of() : context(types, context), entities);
  }

  /**
   * {@code e} with its attributes read as {@code types} declares them for its type, as
   * {@link RequestJson} reads an entity's attributes.
   */
  private static EntityData entity(ValueTypes types, RawEntity e) throws GiveUp {
    try {
      return new EntityData(new EntityUid(e.type(), e.id()), types.attributes(e.type(), e.attributes(), UNSHOWN),
          e.parents(), e.parentsGiven());
    } catch (Values.JsonValueException x) {
      throw GIVE_UP;
    }
  }

  private static Map<String, Value> context(ValueTypes types, Map<String, Value> values) throws GiveUp {
    try {
      return types.context(values, UNSHOWN);
    } catch (Values.JsonValueException x) {
      throw GIVE_UP;
    }
  }

  private static List<EntityData> entities(ValueTypes types, Raw top) throws GiveUp {
    if (top.entities == null) {
      return List.of();
    }
    try {
      return RequestJson.entitiesAt(top.entities, "$.entities", types);
    } catch (RequestJson.InvalidRequest x) {
      throw GIVE_UP;
    }
  }

  /** The whole body: one object, nothing after it. */
  private static Raw document(byte[] bytes, int offset, int length, Level level, int maxItems)
      throws IOException, GiveUp {
    if (bytes == null || length == 0) {
      throw GIVE_UP;
    }
    try (JsonParser p = JsonCodec.streamingParser(bytes, offset, length)) {
      Document d = new Document(p, bytes, offset);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      Raw top = d.evaluationObject(level, maxItems);
      if (p.nextToken() != null) {
        throw GIVE_UP;
      }
      return top;
    }
  }

  /**
   * One body being read: the parser, the bytes (parts kept as trees are read again from them),
   * the name checks and one scratch stack that the names and values of the maps and sets being
   * read are collected on, so that they are made at once in their final shape.
   */
  private static final class Document {
    /**
     * The members of the objects read member by member, in the order they are usually written:
     * the parser is asked whether the next name is the usual one, which it answers by comparing
     * bytes, instead of reading the name and looking it up. Any other order reads the same.
     */
    private static final SerializableString[] EVALUATION_ORDER = names("subject", "resource", "action", "context");
    private static final SerializableString[] ENTITY_ORDER = names("type", "id", "properties");
    private static final SerializableString[] ACTION_ORDER = names("name");

    private static SerializableString[] names(String... names) {
      SerializableString[] out = new SerializableString[names.length];
      for (int i = 0; i < names.length; i++) {
        out[i] = new SerializedString(names[i]);
      }
      return out;
    }

    private final JsonParser p;
    private final byte[] bytes;
    /** Where the body starts in {@link #bytes}: the parser counts its offsets from there. */
    private final int offset;
    private final MemberNames names = new MemberNames();
    private Object[] scratch = new Object[16];
    private int top;

    Document(JsonParser p, byte[] bytes, int offset) {
      this.p = p;
      this.bytes = bytes;
      this.offset = offset;
    }

    private void push(Object o) {
      if (top == scratch.length) {
        scratch = Arrays.copyOf(scratch, top * 2);
      }
      scratch[top++] = o;
    }

    /** The next member's name in the object opened last, refused when the object named it already. */
    private String nextName() throws IOException, GiveUp {
      return checked(p.nextFieldName());
    }

    /** The same for the {@code i}th member of an object whose members are usually written in the order {@code usual}. */
    private String nextName(SerializableString[] usual, int i) throws IOException, GiveUp {
      if (i >= usual.length) {
        return nextName();
      }
      if (p.nextFieldName(usual[i])) {
        return checked(usual[i].getValue());
      }
      return checked(p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null);
    }

    private String checked(String name) throws GiveUp {
      if (name != null && !names.add(name)) {
        throw GIVE_UP;
      }
      return name;
    }

    /** The members of an evaluation object, the parser on its start; members no one reads are skipped. */
    Raw evaluationObject(Level level, int maxItems) throws IOException, GiveUp {
      Raw raw = new Raw();
      names.open();
      int i = 0;
      for (String name = nextName(EVALUATION_ORDER, i); name != null; name = nextName(EVALUATION_ORDER, ++i)) {
        boolean absent = p.nextToken() == JsonToken.VALUE_NULL;
        switch (name) {
          case "subject" -> raw.subject = absent ? null : entity();
          case "resource" -> raw.resource = absent ? null : entity();
          case "action" -> raw.action = absent ? null : action();
          case "context" -> raw.context = absent ? null : context();
          case "entities" -> {
            if (level == Level.ITEM || absent) {
              skip();
            } else {
              raw.entities = tree();
            }
          }
          case "evaluations" -> {
            if (level == Level.BATCH && !absent) {
              raw.items = items(maxItems);
            } else {
              skip();
            }
          }
          case "options" -> {
            if (level == Level.BATCH && !absent) {
              raw.semantic = options();
            } else {
              skip();
            }
          }
          default -> skip();
        }
      }
      names.close();
      return raw;
    }

    private List<Raw> items(int maxItems) throws IOException, GiveUp {
      if (!p.isExpectedStartArrayToken()) {
        throw GIVE_UP;
      }
      List<Raw> items = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.START_OBJECT || items.size() == maxItems) {
          throw GIVE_UP;
        }
        items.add(evaluationObject(Level.ITEM, 0));
      }
      return items;
    }

    private AuthZenHandlers.Semantic options() throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      AuthZenHandlers.Semantic semantic = AuthZenHandlers.Semantic.EXECUTE_ALL;
      names.open();
      for (String name = nextName(); name != null; name = nextName()) {
        JsonToken t = p.nextToken();
        if (!name.equals("evaluations_semantic") || t == JsonToken.VALUE_NULL) {
          skip();
        } else if (t != JsonToken.VALUE_STRING) {
          throw GIVE_UP;
        } else {
          semantic = switch (p.getText()) {
            case "execute_all" -> AuthZenHandlers.Semantic.EXECUTE_ALL;
            case "deny_on_first_deny" -> AuthZenHandlers.Semantic.DENY_ON_FIRST_DENY;
            case "permit_on_first_permit" -> AuthZenHandlers.Semantic.PERMIT_ON_FIRST_PERMIT;
            default -> throw GIVE_UP;
          };
        }
      }
      names.close();
      return semantic;
    }

    /** {@code {"type", "id", "properties": {…}}}; other members are skipped, as the tree ignores them. */
    private RawEntity entity() throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      String type = null;
      String id = null;
      Map<String, Value> attrs = Map.of();
      List<EntityUid> parents = List.of();
      boolean parentsGiven = false;
      names.open();
      int i = 0;
      for (String name = nextName(ENTITY_ORDER, i); name != null; name = nextName(ENTITY_ORDER, ++i)) {
        JsonToken t = p.nextToken();
        switch (name) {
          case "type" -> {
            type = t == JsonToken.VALUE_STRING ? p.getText() : null;
            if (type == null || type.isEmpty()) {
              throw GIVE_UP;
            }
          }
          case "id" -> {
            if (t != JsonToken.VALUE_STRING) {
              throw GIVE_UP;
            }
            id = p.getText();
          }
          case "properties" -> {
            if (t == JsonToken.START_OBJECT) {
              int from = top;
              names.open();
              for (String k = nextName(); k != null; k = nextName()) {
                if (k.equals("type") || k.equals("id")) {
                  throw GIVE_UP; // refused: it names the entity's own type or id
                }
                if (p.nextToken() == JsonToken.VALUE_NULL) {
                  continue; // left out, as an attribute written null is
                }
                if (k.equals("parents")) {
                  parentsGiven = true;
                  parents = uids();
                } else {
                  Value v = value();
                  push(k);
                  push(v);
                }
              }
              names.close();
              attrs = ImmutableMaps.of(scratch, from, top);
              top = from;
            } else if (t != JsonToken.VALUE_NULL) {
              throw GIVE_UP;
            }
          }
          default -> skip();
        }
      }
      names.close();
      if (type == null || id == null) {
        throw GIVE_UP;
      }
      return new RawEntity(type, id, attrs, parents, parentsGiven);
    }

    private List<EntityUid> uids() throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw GIVE_UP;
      }
      List<EntityUid> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        try {
          out.add(Values.uid(tree(), "$"));
        } catch (Values.JsonValueException e) {
          throw GIVE_UP;
        }
      }
      return out;
    }

    /** {@code {"name": "…"}}; {@code properties} and any other member are skipped, as the tree ignores them. */
    private String action() throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      String name = null;
      names.open();
      int i = 0;
      for (String member = nextName(ACTION_ORDER, i); member != null; member = nextName(ACTION_ORDER, ++i)) {
        JsonToken t = p.nextToken();
        if (member.equals("name")) {
          name = t == JsonToken.VALUE_STRING ? p.getText() : null;
          if (name == null || name.isEmpty()) {
            throw GIVE_UP;
          }
        } else {
          skip();
        }
      }
      names.close();
      if (name == null) {
        throw GIVE_UP;
      }
      return name;
    }

    /** The context's attributes as generic values; typed once the document is read. */
    private Map<String, Value> context() throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      int from = top;
      names.open();
      for (String name = nextName(); name != null; name = nextName()) {
        if (name.equals("__entity")) {
          throw GIVE_UP; // perhaps an entity reference where attributes belong: the tree says which
        }
        if (p.nextToken() != JsonToken.VALUE_NULL) {
          Value v = value();
          push(name);
          push(v);
        }
      }
      names.close();
      Map<String, Value> out = ImmutableMaps.of(scratch, from, top);
      top = from;
      return out;
    }

    /**
     * The value the parser stands on, as {@link Values#fromJson} reads it: strings, booleans,
     * integers and arrays of them here; decimals and objects (rare in requests) through their tree.
     */
    private Value value() throws IOException, GiveUp {
      switch (p.currentToken()) {
        case VALUE_STRING:
          return new Value.Str(p.getText());
        case VALUE_TRUE:
          return Value.Bool.TRUE;
        case VALUE_FALSE:
          return Value.Bool.FALSE;
        case VALUE_NUMBER_INT:
          if (LONGS_IN_BOUNDS && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return new Value.Num(BigDecimal.valueOf(p.getLongValue()));
          }
          BigDecimal d = new BigDecimal(p.getBigIntegerValue());
          if (!Numbers.inBounds(d)) {
            throw GIVE_UP;
          }
          return new Value.Num(d);
        case START_ARRAY:
          int from = top;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
              throw GIVE_UP;
            }
            push(value());
          }
          Value[] items = Arrays.copyOfRange(scratch, from, top, Value[].class);
          top = from;
          return new Value.SetOf(Values.setOf(items));
        default:
          try {
            return Values.fromJson(tree(), "$");
          } catch (Values.JsonValueException e) {
            throw GIVE_UP;
          }
      }
    }

    /**
     * The value the parser stands on as a tree, read again from its bytes by the parser that
     * refuses duplicate members; the parser is left on its last token.
     */
    private JsonNode tree() throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
        byte[] text = p.getText().getBytes(StandardCharsets.US_ASCII);
        return JsonCodec.readValue(text, 0, text.length);
      }
      int from = Math.toIntExact(p.currentTokenLocation().getByteOffset());
      p.skipChildren();
      int to = Math.toIntExact(p.currentLocation().getByteOffset());
      return JsonCodec.readValue(bytes, offset + from, to - from);
    }

    /** A member no one reads: an object in it must still not name a member twice. */
    private void skip() throws IOException {
      if (p.currentToken().isStructStart()) {
        tree();
      }
    }
  }
}

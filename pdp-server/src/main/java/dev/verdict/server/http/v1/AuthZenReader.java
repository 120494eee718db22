package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /** A subject or resource as read: its properties as generic values, in the order written. */
  private record RawEntity(String type, String id, List<Map.Entry<String, Value>> attributes,
      List<EntityUid> parents, boolean parentsGiven) {}

  /** A batch read: its items' evaluations in order, or none when the body is one evaluation. */
  record Batch(Evaluation single, List<Evaluation> items, AuthZenHandlers.Semantic semantic) {}

  private enum Level { EVALUATION, BATCH, ITEM }

  private AuthZenReader() {}

  /**
   * The body of {@code /access/v1/evaluation} as the engine's request, its values read as
   * {@code types} declares them; null when the body is not one this reader takes (read it as a
   * tree: that reports the error).
   */
  public static Request evaluation(byte[] body, ValueTypes types) {
    try {
      Raw top = document(body, Level.EVALUATION, 0);
      return request(types, top.subject, top.resource, top.action, top.context, entities(types, top),
          Evaluation.SUBJECT, Evaluation.RESOURCE, Evaluation.CONTEXT);
    } catch (GiveUp | IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The body of {@code /access/v1/evaluations}: without items, one evaluation; else each item
   * with the top level's members as its defaults. Null as for {@link #evaluation}.
   */
  static Batch evaluations(byte[] body, ValueTypes types, int maxItems) {
    try {
      Raw top = document(body, Level.BATCH, maxItems);
      List<EntityData> entities = entities(types, top);
      if (top.items.isEmpty()) {
        Request r = request(types, top.subject, top.resource, top.action, top.context, entities,
            Evaluation.SUBJECT, Evaluation.RESOURCE, Evaluation.CONTEXT);
        return new Batch(Evaluation.topLevel(r), List.of(), top.semantic);
      }
      // the defaults are typed once for every item that takes them
      EntityData subject = top.subject == null ? null : entity(types, top.subject, Evaluation.SUBJECT);
      EntityData resource = top.resource == null ? null : entity(types, top.resource, Evaluation.RESOURCE);
      Map<String, Value> context = top.context == null ? null : context(types, top.context, Evaluation.CONTEXT);
      List<Evaluation> out = new ArrayList<>(top.items.size());
      for (int i = 0; i < top.items.size(); i++) {
        Raw item = top.items.get(i);
        String at = "$.evaluations[" + i + "]";
        String subjectPath = item.subject == null ? Evaluation.SUBJECT : at + ".subject";
        String resourcePath = item.resource == null ? Evaluation.RESOURCE : at + ".resource";
        String contextPath = item.context == null ? Evaluation.CONTEXT : at + ".context";
        EntityData s = item.subject == null ? subject : entity(types, item.subject, subjectPath);
        EntityData r = item.resource == null ? resource : entity(types, item.resource, resourcePath);
        String action = item.action == null ? top.action : item.action;
        Map<String, Value> ctx = item.context == null ? context : context(types, item.context, contextPath);
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
      Map<String, Value> context, List<EntityData> entities, String subjectPath, String resourcePath,
      String contextPath) throws GiveUp {
    if (subject == null || resource == null || action == null) {
      throw GIVE_UP;
    }
    return new Request(entity(types, subject, subjectPath), entity(types, resource, resourcePath), action,
        context == null ? Map.of() : context(types, context, contextPath), entities);
  }

  private static EntityData entity(ValueTypes types, RawEntity e, String path) throws GiveUp {
    try {
      return RequestJson.entity(e.type(), e.id(), e.attributes(), e.parents(), e.parentsGiven(),
          path + ".properties", types);
    } catch (RequestJson.InvalidRequest x) {
      throw GIVE_UP;
    }
  }

  private static Map<String, Value> context(ValueTypes types, Map<String, Value> values, String path)
      throws GiveUp {
    try {
      return types.context(values, path);
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
  private static Raw document(byte[] body, Level level, int maxItems) throws IOException, GiveUp {
    if (body == null || body.length == 0) {
      throw GIVE_UP;
    }
    try (JsonParser p = JsonCodec.streamingParser(body)) {
      Document d = new Document(p, body);
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
   * The member names of one object, a second of any refused (the streaming parser leaves that
   * to us); reused for every object at one level of the document.
   */
  private static final class Names {
    private static final int FEW = 8;
    private final String[] few = new String[FEW];
    private int n;
    /** Past {@link #FEW} names, so that a large object is not checked in quadratic time. */
    private Set<String> many;

    Names reset() {
      n = 0;
      many = null;
      return this;
    }

    void add(String name) throws GiveUp {
      if (many != null) {
        if (!many.add(name)) {
          throw GIVE_UP;
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        if (few[i].equals(name)) {
          throw GIVE_UP;
        }
      }
      if (n < FEW) {
        few[n++] = name;
      } else {
        many = new HashSet<>(Arrays.asList(few));
        many.add(name);
      }
    }
  }

  /** One body being read: the parser, the bytes (parts kept as trees are read again from them), the name checks. */
  private static final class Document {
    private final JsonParser p;
    private final byte[] body;
    private final Names top = new Names();
    private final Names member = new Names();
    private final Names attributes = new Names();

    Document(JsonParser p, byte[] body) {
      this.p = p;
      this.body = body;
    }

    /** The members of an evaluation object, the parser on its start; members no one reads are skipped. */
    Raw evaluationObject(Level level, int maxItems) throws IOException, GiveUp {
      Raw raw = new Raw();
      // an item's members are checked at the member level: the top level's names are still being checked
      Names names = level == Level.ITEM ? member.reset() : top.reset();
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        names.add(name);
        boolean absent = p.nextToken() == JsonToken.VALUE_NULL;
        switch (name) {
          case "subject" -> raw.subject = absent ? null : entity(level == Level.ITEM);
          case "resource" -> raw.resource = absent ? null : entity(level == Level.ITEM);
          case "action" -> raw.action = absent ? null : action(level == Level.ITEM);
          case "context" -> raw.context = absent ? null : context(level == Level.ITEM);
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
      Names names = member.reset();
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        names.add(name);
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
      return semantic;
    }

    /** The names of a member of an item (one level deeper than the top level's members). */
    private Names memberNames(boolean inItem) {
      return inItem ? attributes.reset() : member.reset();
    }

    /** {@code {"type", "id", "properties": {…}}}; other members are skipped, as the tree ignores them. */
    private RawEntity entity(boolean inItem) throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      String type = null;
      String id = null;
      List<Map.Entry<String, Value>> attrs = List.of();
      List<EntityUid> parents = List.of();
      boolean parentsGiven = false;
      Names names = memberNames(inItem);
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        names.add(name);
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
              // properties of an item's entity are one level deeper still: a fresh check of their own
              Names own = inItem ? new Names() : attributes.reset();
              attrs = new ArrayList<>(8);
              for (String k = p.nextFieldName(); k != null; k = p.nextFieldName()) {
                own.add(k);
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
                  attrs.add(Map.entry(k, value()));
                }
              }
            } else if (t != JsonToken.VALUE_NULL) {
              throw GIVE_UP;
            }
          }
          default -> skip();
        }
      }
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
    private String action(boolean inItem) throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      String name = null;
      Names names = memberNames(inItem);
      for (String member = p.nextFieldName(); member != null; member = p.nextFieldName()) {
        names.add(member);
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
      if (name == null) {
        throw GIVE_UP;
      }
      return name;
    }

    /** The context's attributes as generic values, in the order written; typed once the document is read. */
    private Map<String, Value> context(boolean inItem) throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      Map<String, Value> out = new LinkedHashMap<>();
      Names names = memberNames(inItem);
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        names.add(name);
        if (name.equals("__entity")) {
          throw GIVE_UP; // perhaps an entity reference where attributes belong: the tree says which
        }
        if (p.nextToken() != JsonToken.VALUE_NULL) {
          out.put(name, value());
        }
      }
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
          BigDecimal d = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? new BigDecimal(p.getBigIntegerValue()) : BigDecimal.valueOf(p.getLongValue());
          if (!Numbers.inBounds(d)) {
            throw GIVE_UP;
          }
          return new Value.Num(d);
        case START_ARRAY:
          Value[] items = new Value[4];
          int n = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
              throw GIVE_UP;
            }
            if (n == items.length) {
              items = Arrays.copyOf(items, n * 2);
            }
            items[n++] = value();
          }
          return new Value.SetOf(Values.setOf(n == items.length ? items : Arrays.copyOf(items, n)));
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
      return JsonCodec.readValue(body, from, to - from);
    }

    /** A member no one reads: an object in it must still not name a member twice. */
    private void skip() throws IOException {
      if (p.currentToken().isStructStart()) {
        tree();
      }
    }
  }
}

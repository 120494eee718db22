package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.v1.StreamedDocument.GiveUp;
import java.io.IOException;
import java.util.ArrayList;
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
  private static final GiveUp GIVE_UP = StreamedDocument.GIVE_UP;

  /**
   * What an evaluation object (the body or a batch's item) says, as read; null members are
   * absent. Subjects, resources and contexts are typed by the policy set's declarations as
   * soon as they are read: one that does not fit makes the reader give up, wherever it is in
   * the body, and the tree then reports the first error in the body's own terms.
   */
  private static final class Raw {
    EntityData subject;
    EntityData resource;
    String action;
    Map<String, Value> context;
    /** Top level only: the Verdict extension member {@code entities}, kept as its tree (it is rare). */
    JsonNode entities;
    /** Top level of a batch only. */
    List<Raw> items = List.of();
    AuthZenHandlers.Semantic semantic = AuthZenHandlers.Semantic.EXECUTE_ALL;
  }

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
    return body == null ? null : evaluation(body, 0, body.length, types);
  }

  /**
   * The same for the body in {@code bytes[offset, offset + length)}: read where it was
   * received, without a copy.
   */
  public static Request evaluation(byte[] bytes, int offset, int length, ValueTypes types) {
    try {
      Raw top = document(bytes, offset, length, types, Level.EVALUATION, 0);
      return request(top.subject, top.resource, top.action, top.context, entities(types, top));
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
      Raw top = document(bytes, offset, length, types, Level.BATCH, maxItems);
      List<EntityData> entities = entities(types, top);
      if (top.items.isEmpty()) {
        Request r = request(top.subject, top.resource, top.action, top.context, entities);
        return new Batch(Evaluation.topLevel(r), List.of(), top.semantic);
      }
      List<Evaluation> out = new ArrayList<>(top.items.size());
      for (int i = 0; i < top.items.size(); i++) {
        Raw item = top.items.get(i);
        EntityData s = item.subject == null ? top.subject : item.subject;
        EntityData r = item.resource == null ? top.resource : item.resource;
        String action = item.action == null ? top.action : item.action;
        Map<String, Value> ctx = item.context == null ? top.context : item.context;
        if (s == null || r == null || action == null) {
          throw GIVE_UP;
        }
        int own = (item.subject == null ? 0 : Evaluation.SUBJECT_OWN)
            | (item.resource == null ? 0 : Evaluation.RESOURCE_OWN) | (item.context == null ? 0 : Evaluation.CONTEXT_OWN);
        out.add(new Evaluation(new Request(s, r, action, ctx == null ? Map.of() : ctx, entities), i, own));
      }
      return new Batch(null, out, top.semantic);
    } catch (GiveUp | IOException | RuntimeException e) {
      return null;
    }
  }

  private static Request request(EntityData subject, EntityData resource, String action,
      Map<String, Value> context, List<EntityData> entities) throws GiveUp {
    if (subject == null || resource == null || action == null) {
      throw GIVE_UP;
    }
    return new Request(subject, resource, action, context == null ? Map.of() : context, entities);
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
  private static Raw document(byte[] bytes, int offset, int length, ValueTypes types, Level level, int maxItems)
      throws IOException, GiveUp {
    if (bytes == null || length == 0) {
      throw GIVE_UP;
    }
    try (JsonParser p = JsonCodec.streamingParser(bytes, offset, length)) {
      Document d = new Document(p, bytes, offset, types);
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

  /** An AuthZEN body being read: its evaluation objects, subjects and resources, actions and options. */
  private static final class Document extends StreamedDocument {
    /**
     * The members of the objects read member by member, in the order they are usually written:
     * the parser is asked whether the next name is the usual one, which it answers by comparing
     * bytes, instead of reading the name and looking it up. Any other order reads the same.
     * The members after the usual ones are known, but matched by name.
     */
    private static final SerializableString[] EVALUATION_MEMBERS =
        names("subject", "resource", "action", "context", "entities", "evaluations", "options");
    private static final int SUBJECT = 0;
    private static final int RESOURCE = 1;
    private static final int ACTION = 2;
    private static final int CONTEXT = 3;
    private static final int ENTITIES = 4;
    private static final int EVALUATIONS = 5;
    private static final int OPTIONS = 6;
    private static final int USUAL_EVALUATION_MEMBERS = 4;
    private static final SerializableString[] ENTITY_MEMBERS = names("type", "id", "properties");
    private static final int TYPE = 0;
    private static final int ID = 1;
    private static final int PROPERTIES = 2;
    private static final SerializableString[] ACTION_MEMBERS = names("name");
    private static final SerializableString[] OPTIONS_MEMBERS = names("evaluations_semantic");

    /** The members of an evaluation object, the parser on its start; members no one reads are skipped. */
    Raw evaluationObject(Level level, int maxItems) throws IOException, GiveUp {
      Raw raw = new Raw();
      int seen = 0;
      for (int i = 0, m; (m = member(EVALUATION_MEMBERS, USUAL_EVALUATION_MEMBERS, i)) != END; i++) {
        seen = seen(seen, m);
        boolean absent = p.nextToken() == JsonToken.VALUE_NULL;
        switch (m) {
          case SUBJECT -> raw.subject = absent ? null : entity();
          case RESOURCE -> raw.resource = absent ? null : entity();
          case ACTION -> raw.action = absent ? null : action();
          case CONTEXT -> raw.context = absent ? null : context();
          case ENTITIES -> {
            if (level == Level.ITEM || absent) {
              skip();
            } else {
              raw.entities = tree();
            }
          }
          case EVALUATIONS -> {
            if (level == Level.BATCH && !absent) {
              raw.items = items(maxItems);
            } else {
              skip();
            }
          }
          case OPTIONS -> {
            if (level == Level.BATCH && !absent) {
              raw.semantic = options();
            } else {
              skip();
            }
          }
          default -> skip();
        }
      }
      ended(seen);
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
      int seen = 0;
      for (int m; (m = member(OPTIONS_MEMBERS, 0, 0)) != END;) {
        seen = seen(seen, m);
        JsonToken t = p.nextToken();
        if (m == OTHER || t == JsonToken.VALUE_NULL) {
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
      ended(seen);
      return semantic;
    }

    /**
     * {@code {"type", "id", "properties": {…}}}, its attributes typed as {@code types} declares
     * them for its type (as {@link RequestJson} reads an entity's); other members are skipped,
     * as the tree ignores them.
     */
    private EntityData entity() throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      String type = null;
      String id = null;
      ValueTypes.AttributeTypes declared = null;
      boolean typedAsRead = false;
      boolean unpaired = false;
      int from = entityStart();
      int seen = 0;
      for (int i = 0, m; (m = member(ENTITY_MEMBERS, ENTITY_MEMBERS.length, i)) != END; i++) {
        seen = seen(seen, m);
        JsonToken t = p.nextToken();
        switch (m) {
          case TYPE -> {
            type = t == JsonToken.VALUE_STRING ? RepeatedText.of(p) : null;
            if (type == null || type.isEmpty()) {
              throw GIVE_UP;
            }
          }
          case ID -> {
            if (t != JsonToken.VALUE_STRING) {
              throw GIVE_UP;
            }
            id = p.getText();
          }
          case PROPERTIES -> {
            if (t == JsonToken.START_OBJECT) {
              // typed as read when the type came first (as it is usually written): the map is then made once
              declared = type == null ? null : types.attributesOf(type);
              typedAsRead = type != null;
              for (String k = p.nextFieldName(); k != null; k = p.nextFieldName()) {
                if (k.equals("type") || k.equals("id")) {
                  throw GIVE_UP; // refused: it names the entity's own type or id
                }
                unpaired |= attribute(k, p.nextToken(), declared);
              }
            } else if (t != JsonToken.VALUE_NULL) {
              throw GIVE_UP;
            }
          }
          default -> skip();
        }
      }
      ended(seen);
      return entityOf(type, id, from, unpaired, typedAsRead);
    }

    /** {@code {"name": "…"}}; {@code properties} and any other member are skipped, as the tree ignores them. */
    private String action() throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      String name = null;
      int seen = 0;
      for (int i = 0, m; (m = member(ACTION_MEMBERS, ACTION_MEMBERS.length, i)) != END; i++) {
        seen = seen(seen, m);
        JsonToken t = p.nextToken();
        if (m == OTHER) {
          skip();
        } else {
          name = t == JsonToken.VALUE_STRING ? RepeatedText.of(p) : null;
          if (name == null || name.isEmpty()) {
            throw GIVE_UP;
          }
        }
      }
      ended(seen);
      if (name == null) {
        throw GIVE_UP;
      }
      return name;
    }

    Document(JsonParser p, byte[] bytes, int offset, ValueTypes types) {
      super(p, bytes, offset, types);
    }
  }
}

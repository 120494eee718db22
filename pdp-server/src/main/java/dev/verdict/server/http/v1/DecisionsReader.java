package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import dev.verdict.lang.eval.EntityData;
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
 * {@code /v1/decisions} bodies read from their bytes straight into what the handler decides,
 * in one pass and without a JSON tree, as {@link AuthZenReader} reads AuthZEN's: only what it
 * can read exactly as the handler's tree reading ({@link RequestJson}) does. Anything else (a
 * member of the wrong JSON type, a value that does not fit its declared type, a duplicate
 * member, a bound passed, malformed JSON) makes it give up with {@code null}, and the handler
 * reads the body again as a tree, which reports the error as it always has.
 */
public final class DecisionsReader {
  /**
   * A body read: the principal, the resources and the actions as written (duplicates kept),
   * the context, the extra entities and whether an explanation was asked for.
   */
  public record Read(EntityData principal, List<EntityData> resources, List<String> actions, Map<String, Value> context,
      List<EntityData> entities, boolean explain) {}

  private static final GiveUp GIVE_UP = StreamedDocument.GIVE_UP;
  /** The type of a principal written without one, as {@link RequestJson#entityAt} takes it. */
  private static final String DEFAULT_PRINCIPAL_TYPE = "User";

  private DecisionsReader() {}

  /**
   * The body in {@code bytes[offset, offset + length)}, its values typed as {@code types}
   * declares them; null when it is not one this reader takes, or carries more resources,
   * actions or pairs than {@code limits} allow (the tree reports those).
   */
  public static Read read(byte[] bytes, int offset, int length, ValueTypes types, DecisionsHandler.Limits limits) {
    if (bytes == null || length == 0) {
      return null;
    }
    try (JsonParser p = JsonCodec.streamingParser(bytes, offset, length)) {
      Document d = new Document(p, bytes, offset, types);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Read read = d.body(limits);
      if (p.nextToken() != null) {
        return null;
      }
      return read;
    } catch (GiveUp | IOException | RuntimeException e) {
      return null;
    }
  }

  /** A native body being read: its top level and its entities, whose attributes sit beside their type and id. */
  private static final class Document extends StreamedDocument {
    /** The top level's members, the first three in the order they are usually written. */
    private static final SerializableString[] BODY_MEMBERS =
        names("principal", "resources", "actions", "context", "entities", "explain");
    private static final int PRINCIPAL = 0;
    private static final int RESOURCES = 1;
    private static final int ACTIONS = 2;
    private static final int CONTEXT = 3;
    private static final int ENTITIES = 4;
    private static final int EXPLAIN = 5;
    private static final int USUAL_BODY_MEMBERS = 3;

    Document(JsonParser p, byte[] bytes, int offset, ValueTypes types) {
      super(p, bytes, offset, types);
    }

    /** The members of the body, the parser on its start; members no one reads are skipped. */
    Read body(DecisionsHandler.Limits limits) throws IOException, GiveUp {
      EntityData principal = null;
      List<EntityData> resources = null;
      List<String> actions = null;
      Map<String, Value> context = Map.of();
      List<EntityData> entities = List.of();
      boolean explain = false;
      int seen = 0;
      for (int i = 0, m; (m = member(BODY_MEMBERS, USUAL_BODY_MEMBERS, i)) != END; i++) {
        seen = seen(seen, m);
        JsonToken t = p.nextToken();
        switch (m) {
          case PRINCIPAL -> principal = entity(DEFAULT_PRINCIPAL_TYPE);
          case RESOURCES -> resources = resources(limits.maxResources());
          case ACTIONS -> actions = actions(limits.maxActions());
          case CONTEXT -> context = t == JsonToken.VALUE_NULL ? Map.of() : context();
          case ENTITIES -> {
            if (t != JsonToken.VALUE_NULL) {
              try {
                entities = RequestJson.entitiesAt(tree(), "$.entities", types);
              } catch (RequestJson.InvalidRequest x) {
                throw GIVE_UP;
              }
            }
          }
          case EXPLAIN -> {
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
              explain = t == JsonToken.VALUE_TRUE;
            } else if (t != JsonToken.VALUE_NULL) {
              throw GIVE_UP;
            }
          }
          default -> skip();
        }
      }
      ended(seen);
      if (principal == null || resources == null || actions == null
          || (long) resources.size() * actions.size() > limits.maxPairs()) {
        throw GIVE_UP;
      }
      return new Read(principal, resources, actions, context, entities, explain);
    }

    /** A non-empty array of at most {@code max} entities, each with its type. */
    private List<EntityData> resources(int max) throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw GIVE_UP;
      }
      List<EntityData> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (out.size() == max) {
          throw GIVE_UP;
        }
        out.add(entity(null));
      }
      if (out.isEmpty()) {
        throw GIVE_UP;
      }
      return out;
    }

    /** A non-empty array of at most {@code max} non-empty action names. */
    private List<String> actions(int max) throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw GIVE_UP;
      }
      List<String> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        String name = p.currentToken() == JsonToken.VALUE_STRING ? RepeatedText.of(p) : null;
        if (name == null || name.isEmpty() || out.size() == max) {
          throw GIVE_UP;
        }
        out.add(name);
      }
      if (out.isEmpty()) {
        throw GIVE_UP;
      }
      return out;
    }

    /**
     * {@code {"type", "id", …attributes, "parents"?}}, the parser on its start: {@code type}
     * (or {@code defaultType} when it is left out) and {@code id} are the entity's, every other
     * member an attribute, typed as {@code types} declares them for its type, except
     * {@code parents}, which states its parents; members written null are left out.
     */
    private EntityData entity(String defaultType) throws IOException, GiveUp {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw GIVE_UP;
      }
      String type = null;
      String id = null;
      ValueTypes.AttributeTypes declared = null;
      boolean typedAsRead = true;
      boolean unpaired = false;
      int from = entityStart();
      for (String k = p.nextFieldName(); k != null; k = p.nextFieldName()) {
        JsonToken t = p.nextToken();
        switch (k) {
          case "type" -> {
            if (type != null || t != JsonToken.VALUE_STRING) {
              throw GIVE_UP;
            }
            type = RepeatedText.of(p);
            if (type.isEmpty()) {
              throw GIVE_UP;
            }
            declared = types.attributesOf(type);
          }
          case "id" -> {
            if (id != null || t != JsonToken.VALUE_STRING) {
              throw GIVE_UP;
            }
            id = p.getText();
          }
          default -> {
            typedAsRead &= type != null || t == JsonToken.VALUE_NULL || k.equals("parents");
            unpaired |= attribute(k, t, declared);
          }
        }
      }
      return entityOf(type != null ? type : defaultType, id, from, unpaired, typedAsRead);
    }
  }
}

package dev.verdict.lang.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.verdict.lang.data.EntityUid;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a request from JSON:
 * <pre>
 * {"principal": {"type": "User", "id": "alice", "roles": ["user"], "tenant": "t1",
 *                "parents": [{"type": "Group", "id": "eng"}]},
 *  "resource":  {"type": "Account", "id": "a1", "owner": "alice"},
 *  "action": "read",
 *  "context": {"mfa": true},
 *  "entities": [{"uid": {"type": "Group", "id": "eng"}, "attrs": {}, "parents": []}]}
 * </pre>
 * The principal's type defaults to {@code User}. Every other key of the principal and the
 * resource is an attribute. Values are read as the policy set declares them ({@link ValueTypes}):
 * a context attribute declared {@code Ip} arrives as an Ip. Problems are reported with their
 * JSON path.
 */
public final class RequestJson {
  /** Entities a request may carry. */
  public static final int MAX_ENTITIES = 1_000;

  private RequestJson() {}

  /** A problem with a request, at a JSON path such as {@code $.resource.id}. */
  public static final class InvalidRequest extends Exception {
    private final String path;

    InvalidRequest(String path, String message) {
      super(message, null, false, false);
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /** The reader every request document should be read with: decimals stay exact, sizes are bounded. */
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(Values.MAX_DEPTH + 8)
          .maxNumberLength(100)
          .build())
      .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  /**
   * A request document as a JSON tree, numbers as exact decimals: {@code 1000000000000000000.5}
   * is not rounded through a {@code double}.
   */
  public static JsonNode readTree(byte[] json) throws java.io.IOException {
    return MAPPER.readTree(json);
  }

  /**
   * A request read with no declared types: every value keeps its generic JSON reading. For
   * tools and sets without a schema; a decision against a set reads with {@code set.types()}.
   */
  public static Request parse(JsonNode root) throws InvalidRequest {
    return parse(root, "$", ValueTypes.NONE);
  }

  public static Request parse(JsonNode root, ValueTypes types) throws InvalidRequest {
    return parse(root, "$", types);
  }

  public static Request parse(JsonNode root, String at, ValueTypes types) throws InvalidRequest {
    if (root == null || !root.isObject()) {
      throw new InvalidRequest(at, "a request is a JSON object with principal, resource, action and context");
    }
    try {
      EntityData principal = entity(root.get("principal"), at + ".principal", "User", types);
      EntityData resource = entity(root.get("resource"), at + ".resource", null, types);
      JsonNode action = root.get("action");
      if (action == null || !action.isTextual() || action.textValue().isEmpty()) {
        throw new InvalidRequest(at + ".action", "`action` must be a non-empty string such as \"read\"");
      }
      Map<String, Value> context = Map.of();
      JsonNode ctx = root.get("context");
      if (ctx != null && !ctx.isNull()) {
        if (!ctx.isObject()) {
          throw new InvalidRequest(at + ".context", "`context` must be a JSON object");
        }
        context = types.context(record(ctx, at + ".context"), at + ".context");
      }
      List<EntityData> entities = List.of();
      JsonNode es = root.get("entities");
      if (es != null && !es.isNull()) {
        if (!es.isArray()) {
          throw new InvalidRequest(at + ".entities", "`entities` must be a JSON array");
        }
        if (es.size() > MAX_ENTITIES) {
          throw new InvalidRequest(at + ".entities", "more than " + MAX_ENTITIES + " entities");
        }
        entities = new ArrayList<>(es.size());
        for (int i = 0; i < es.size(); i++) {
          entities.add(dataEntity(es.get(i), at + ".entities[" + i + "]", types));
        }
      }
      return new Request(principal, resource, action.textValue(), context, entities);
    } catch (Values.JsonValueException e) {
      throw new InvalidRequest(e.path(), e.getMessage());
    }
  }

  /**
   * One entity in the request shape ({@code {"type", "id", …attributes, "parents": […]}}),
   * for callers that assemble requests from other wire formats; {@code defaultType} may be null.
   */
  public static EntityData entityAt(JsonNode node, String path, String defaultType, ValueTypes types)
      throws InvalidRequest {
    try {
      return entity(node, path, defaultType, types);
    } catch (Values.JsonValueException e) {
      throw new InvalidRequest(e.path(), e.getMessage());
    }
  }

  /** A context object (null or absent: empty), attributes as {@link Values#fromJson} reads them. */
  public static Map<String, Value> contextAt(JsonNode node, String path, ValueTypes types) throws InvalidRequest {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new InvalidRequest(path, "`context` must be a JSON object");
    }
    try {
      return types.context(record(node, path), path);
    } catch (Values.JsonValueException e) {
      throw new InvalidRequest(e.path(), e.getMessage());
    }
  }

  /** An {@code entities} array (null or absent: empty) of {@code {"uid", "attrs", "parents"}}. */
  public static List<EntityData> entitiesAt(JsonNode node, String path, ValueTypes types) throws InvalidRequest {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequest(path, "`entities` must be a JSON array");
    }
    if (node.size() > MAX_ENTITIES) {
      throw new InvalidRequest(path, "more than " + MAX_ENTITIES + " entities");
    }
    List<EntityData> out = new ArrayList<>(node.size());
    try {
      for (int i = 0; i < node.size(); i++) {
        out.add(dataEntity(node.get(i), path + "[" + i + "]", types));
      }
    } catch (Values.JsonValueException e) {
      throw new InvalidRequest(e.path(), e.getMessage());
    }
    return out;
  }

  private static EntityData entity(JsonNode node, String path, String defaultType, ValueTypes types)
      throws InvalidRequest, Values.JsonValueException {
    if (node == null || !node.isObject()) {
      throw new InvalidRequest(path, "must be an object with at least `id`" + (defaultType == null ? " and `type`" : ""));
    }
    JsonNode type = node.get("type");
    String t = defaultType;
    if (type != null) {
      if (!type.isTextual() || type.textValue().isEmpty()) {
        throw new InvalidRequest(path + ".type", "`type` must be a non-empty string such as \"Account\"");
      }
      t = type.textValue();
    }
    if (t == null) {
      throw new InvalidRequest(path + ".type", "`type` is required, e.g. \"Account\"");
    }
    JsonNode id = node.get("id");
    if (id == null || !id.isTextual()) {
      throw new InvalidRequest(path + ".id", "`id` must be a string");
    }
    return entity(t, id.textValue(), node, path, types);
  }

  /**
   * The entity {@code type}/{@code id} whose attributes are the members of {@code attributes}
   * (an object; null for none) at {@code path}, as the request shape reads them: {@code type}
   * and {@code id} members are skipped, {@code parents} states the parents, null members are
   * left out. For wire formats that carry the attributes apart from the uid (AuthZEN's
   * {@code properties}): read in place, without first building the request shape.
   */
  public static EntityData entity(String type, String id, JsonNode attributes, String path, ValueTypes types)
      throws InvalidRequest {
    try {
      return entityOf(type, id, attributes, path, types);
    } catch (Values.JsonValueException e) {
      throw new InvalidRequest(e.path(), e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static EntityData entityOf(String type, String id, JsonNode attributes, String path, ValueTypes types)
      throws InvalidRequest, Values.JsonValueException {
    Map.Entry<String, Value>[] attrs = new Map.Entry[attributes == null ? 0 : attributes.size()];
    int n = 0;
    List<EntityUid> parents = List.of();
    boolean parentsGiven = false;
    Iterator<Map.Entry<String, JsonNode>> it = attributes == null ? java.util.Collections.emptyIterator()
        : attributes.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.equals("type") || k.equals("id") || e.getValue().isNull()) {
        continue;
      }
      if (k.equals("parents")) {
        parentsGiven = true;
        parents = uids(e.getValue(), path + ".parents");
        continue;
      }
      // a JSON object's member names are distinct, so the entries make a map as they are
      attrs[n++] = Map.entry(k, Values.fromJson(e.getValue(), path, k));
    }
    return typed(type, id, java.util.Arrays.asList(attrs).subList(0, n), parents, parentsGiven, path, types);
  }

  /**
   * The entity {@code type}/{@code id} with {@code attributes} (distinct names, each value as
   * {@link Values#fromJson} reads it, in the order written) read by the types {@code types}
   * declares for {@code type}; {@code path} is where the attributes are written. For readers
   * that stream a wire format instead of building its tree: the same conversion as
   * {@link #entity(String, String, JsonNode, String, ValueTypes)}.
   */
  public static EntityData entity(String type, String id, List<Map.Entry<String, Value>> attributes,
      List<EntityUid> parents, boolean parentsGiven, String path, ValueTypes types) throws InvalidRequest {
    try {
      return typed(type, id, attributes, parents, parentsGiven, path, types);
    } catch (Values.JsonValueException e) {
      throw new InvalidRequest(e.path(), e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static EntityData typed(String type, String id, List<Map.Entry<String, Value>> given,
      List<EntityUid> parents, boolean parentsGiven, String path, ValueTypes types) throws Values.JsonValueException {
    if (!types.declaresAttributes(type)) {
      return new EntityData(new EntityUid(type, id), Map.ofEntries(given.toArray(new Map.Entry[0])), parents,
          parentsGiven);
    }
    // converted in the order written, so that the first attribute of the wrong type is the one reported
    Map<String, Value> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, Value> e : given) {
      ordered.put(e.getKey(), e.getValue());
    }
    return new EntityData(new EntityUid(type, id), types.attributes(type, ordered, path), parents, parentsGiven);
  }

  private static EntityData dataEntity(JsonNode node, String path, ValueTypes types)
      throws InvalidRequest, Values.JsonValueException {
    if (node == null || !node.isObject()) {
      throw new InvalidRequest(path, "an entity is {\"uid\": {\"type\", \"id\"}, \"attrs\": {…}, \"parents\": […]}");
    }
    EntityUid uid = Values.uid(node.get("uid"), path + ".uid");
    Map<String, Value> attrs = Map.of();
    JsonNode a = node.get("attrs");
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw new InvalidRequest(path + ".attrs", "`attrs` must be a JSON object");
      }
      attrs = types.attributes(uid.type(), record(a, path + ".attrs"), path + ".attrs");
    }
    JsonNode p = node.get("parents");
    boolean given = p != null && !p.isNull();
    return new EntityData(uid, attrs, given ? uids(p, path + ".parents") : List.of(), given);
  }

  private static Map<String, Value> record(JsonNode node, String path) throws InvalidRequest, Values.JsonValueException {
    if (Values.fromJson(node, path) instanceof Value.Rec r) {
      return r.fields();
    }
    throw new InvalidRequest(path, "must be a JSON object of attributes, not an entity reference");
  }

  private static List<EntityUid> uids(JsonNode node, String path) throws InvalidRequest, Values.JsonValueException {
    if (!node.isArray()) {
      throw new InvalidRequest(path, "`parents` must be an array of {\"type\", \"id\"}");
    }
    List<EntityUid> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(Values.uid(node.get(i), path + "[" + i + "]"));
    }
    return out;
  }
}

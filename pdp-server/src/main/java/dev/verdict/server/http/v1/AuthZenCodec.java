package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.server.http.ApiException;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * AuthZEN 1.0 wire format to engine requests and back. {@code subject.properties} become the
 * principal's attributes ({@code roles} its roles), {@code resource.properties} the resource's,
 * {@code action.properties} are ignored, {@code context} is the context, and the Verdict
 * extension member {@code entities} (top level, same shape as the native API) carries the
 * data of groups, folders and other entities the policies read.
 */
final class AuthZenCodec {
  private AuthZenCodec() {}

  /** The request, its values read as {@code types} declares them. */
  static Request request(ValueTypes types, Part subject, Part resource, Part action, Part context, Part entities) {
    return request(types, subject, resource, action, context, entities(types, entities));
  }

  /** A request whose entities were read already: a batch shares them between its items. */
  static Request request(ValueTypes types, Part subject, Part resource, Part action, Part context,
      List<EntityData> entities) {
    EntityData principal = entity(types, subject, "subject");
    EntityData res = entity(types, resource, "resource");
    String name = actionName(action);
    try {
      Map<String, Value> ctx = RequestJson.contextAt(context.node(), context.path(), types);
      return new Request(principal, res, name, ctx, entities);
    } catch (RequestJson.InvalidRequest e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  /** The {@code entities} member read as entity data. */
  static List<EntityData> entities(ValueTypes types, Part entities) {
    try {
      return RequestJson.entitiesAt(entities.node(), entities.path(), types);
    } catch (RequestJson.InvalidRequest e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  /** {@code {"type", "id", "properties": {…}}} as an entity; properties named like the shape's keys are refused. */
  static EntityData entity(ValueTypes types, Part part, String what) {
    String path = part.path();
    if (!part.present()) {
      throw ApiException.invalidAt(path, "`" + what + "` is required: an object with `type` and `id`");
    }
    JsonNode n = part.node();
    if (!n.isObject()) {
      throw ApiException.invalidAt(path, "`" + what + "` must be an object with `type` and `id`");
    }
    JsonNode type = n.get("type");
    if (type == null || !type.isTextual() || type.textValue().isEmpty()) {
      throw ApiException.invalidAt(path + ".type", "`type` must be a non-empty string");
    }
    JsonNode id = n.get("id");
    if (id == null || !id.isTextual()) {
      throw ApiException.invalidAt(path + ".id", "`id` must be a string");
    }
    JsonNode props = n.get("properties");
    String propsPath = path + ".properties";
    if (props != null && !props.isNull()) {
      if (!props.isObject()) {
        throw ApiException.invalidAt(propsPath, "`properties` must be a JSON object");
      }
      Iterator<String> names = props.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (name.equals("type") || name.equals("id")) {
          throw ApiException.invalidAt(propsPath + "." + name,
              "`" + name + "` is not an attribute name: it is the " + what + "'s own " + name);
        }
      }
    } else {
      props = null;
    }
    try {
      return RequestJson.entity(type.textValue(), id.textValue(), props, propsPath, types);
    } catch (RequestJson.InvalidRequest e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  static String actionName(Part action) {
    if (!action.present()) {
      throw ApiException.invalidAt(action.path(), "`action` is required: an object with `name`");
    }
    JsonNode n = action.node();
    if (!n.isObject()) {
      throw ApiException.invalidAt(action.path(), "`action` must be an object with `name`");
    }
    JsonNode name = n.get("name");
    if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
      throw ApiException.invalidAt(action.path() + ".name", "`name` must be a non-empty string such as \"read\"");
    }
    return name.textValue();
  }

  /**
   * {@code {"decision": bool, "context": {…}}}, written straight to the answer's generator: one
   * is written per evaluation, and a tree of nodes for each would be built only to be serialised.
   * Member names, outcome words and the policy version are written from bytes encoded once.
   */
  static void write(JsonGenerator g, Decision d, String decisionId) throws IOException {
    g.writeStartObject();
    g.writeFieldName(AnswerNames.DECISION);
    g.writeBoolean(d.allowed());
    g.writeFieldName(AnswerNames.CONTEXT);
    g.writeStartObject();
    g.writeFieldName(AnswerNames.DECISION_ID);
    g.writeString(decisionId);
    g.writeFieldName(AnswerNames.OUTCOME);
    g.writeString(AnswerNames.outcome(d.outcome()));
    g.writeFieldName(AnswerNames.REASONS);
    g.writeStartArray();
    for (String reason : d.reasons()) {
      g.writeString(reason);
    }
    g.writeEndArray();
    if (d.allowed()) {
      // the decision's own mask when it is held sorted by path (masks are parsed once, at the
      // decision): no sorted copy of its text is made for every answer
      Map<String, ?> read = d.readMask() instanceof java.util.SortedMap<String, ?> sorted && sorted.comparator() == null
          ? sorted : d.readMaskText();
      java.util.SortedSet<String> write = d.writeDenied().isEmpty() ? java.util.Collections.emptySortedSet()
          : new TreeSet<>(d.writeDenied());
      g.writeFieldName(AnswerNames.OBLIGATIONS);
      g.writeStartArray();
      if (!read.isEmpty() || !write.isEmpty()) {
        g.writeStartObject();
        g.writeFieldName(AnswerNames.TYPE);
        g.writeString(AnswerNames.FIELD_MASK);
        writeMasks(g, read, write);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName(AnswerNames.FIELDS);
      g.writeStartObject();
      writeMasks(g, read, write);
      g.writeEndObject();
    }
    if (!d.errors().isEmpty()) {
      g.writeFieldName(AnswerNames.ERRORS);
      g.writeStartArray();
      for (EvalError e : d.errors()) {
        g.writeStartObject();
        g.writeFieldName(AnswerNames.RULE);
        g.writeString(e.ruleId());
        g.writeFieldName(AnswerNames.MESSAGE);
        g.writeString(e.message());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (d.rate().isPresent()) {
      g.writeFieldName(AnswerNames.RATE);
      writeRate(g, d.rate().get());
    }
    g.writeFieldName(AnswerNames.POLICY_VERSION);
    g.writeString(AnswerNames.policyVersion(d.policyVersion()));
    g.writeEndObject();
    g.writeEndObject();
  }

  /** @param read path to effect, sorted by path: the effect's text, or the effect itself */
  private static void writeMasks(JsonGenerator g, Map<String, ?> read, java.util.SortedSet<String> write)
      throws IOException {
    g.writeFieldName(AnswerNames.READ);
    g.writeStartObject();
    for (Map.Entry<String, ?> e : read.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue() instanceof dev.verdict.lang.ast.FieldEffect f ? f.text()
          : (String) e.getValue());
    }
    g.writeEndObject();
    g.writeFieldName(AnswerNames.WRITE);
    g.writeStartArray();
    for (String path : write) {
      g.writeString(path);
    }
    g.writeEndArray();
  }

  static void writeRate(JsonGenerator g, RateDecision r) throws IOException {
    g.writeStartObject();
    g.writeFieldName(AnswerNames.INTENT);
    g.writeString(r.intent());
    g.writeFieldName(AnswerNames.NAME);
    g.writeString(r.limit());
    g.writeFieldName(AnswerNames.LIMIT);
    g.writeNumber(r.quota());
    g.writeFieldName(AnswerNames.REMAINING);
    g.writeNumber(r.remaining());
    g.writeFieldName(AnswerNames.RESET);
    g.writeNumber(ceilSeconds(r.resetAfter()));
    g.writeFieldName(AnswerNames.RETRY_AFTER);
    g.writeNumber(ceilSeconds(r.retryAfter()));
    // the budget store could not answer, and the limit's `on unavailable` mode decided
    if (r.unavailable().isPresent()) {
      g.writeFieldName(AnswerNames.UNAVAILABLE);
      g.writeString(r.unavailable().get().word());
    }
    g.writeEndObject();
  }

  private static long ceilSeconds(java.time.Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }

  /** A per-item failure in a batch, as the spec shows: a closed decision with {@code context.error}. */
  static void writeItemError(JsonGenerator g, ApiException e) throws IOException {
    g.writeStartObject();
    g.writeFieldName(AnswerNames.DECISION);
    g.writeBoolean(false);
    g.writeFieldName(AnswerNames.CONTEXT);
    g.writeStartObject();
    g.writeFieldName(AnswerNames.ERROR);
    g.writeStartObject();
    g.writeFieldName(AnswerNames.STATUS);
    g.writeNumber(e.code().status());
    g.writeFieldName(AnswerNames.CODE);
    g.writeString(e.code().code());
    g.writeFieldName(AnswerNames.MESSAGE);
    g.writeString(e.getMessage());
    if (e.details().has("path")) {
      g.writeFieldName(AnswerNames.PATH);
      g.writeString(e.details().get("path").asText());
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }
}

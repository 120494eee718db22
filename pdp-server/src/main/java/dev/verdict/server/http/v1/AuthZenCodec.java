package dev.verdict.server.http.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.JsonCodec;
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
    ObjectNode shaped = JsonCodec.object();
    JsonNode props = n.get("properties");
    String propsPath = path + ".properties";
    if (props != null && !props.isNull()) {
      if (!props.isObject()) {
        throw ApiException.invalidAt(propsPath, "`properties` must be a JSON object");
      }
      Iterator<Map.Entry<String, JsonNode>> it = props.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("type") || e.getKey().equals("id")) {
          throw ApiException.invalidAt(propsPath + "." + e.getKey(),
              "`" + e.getKey() + "` is not an attribute name: it is the " + what + "'s own " + e.getKey());
        }
        shaped.set(e.getKey(), e.getValue());
      }
    }
    shaped.set("type", type);
    shaped.set("id", id);
    try {
      return RequestJson.entityAt(shaped, propsPath, null, types);
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

  /** {@code {"decision": bool, "context": {…}}}. */
  static ObjectNode response(Decision d, String decisionId) {
    ObjectNode out = JsonCodec.object();
    out.put("decision", d.allowed());
    ObjectNode ctx = out.putObject("context");
    ctx.put("decision_id", decisionId);
    ctx.put("outcome", d.outcome().word());
    ArrayNode reasons = ctx.putArray("reasons");
    d.reasons().forEach(reasons::add);
    if (d.allowed()) {
      ObjectNode read = JsonCodec.object();
      d.readMaskText().forEach(read::put);
      ArrayNode write = JsonCodec.object().arrayNode();
      new TreeSet<>(d.writeDenied()).forEach(write::add);
      ArrayNode obligations = ctx.putArray("obligations");
      if (!read.isEmpty() || !write.isEmpty()) {
        ObjectNode mask = obligations.addObject();
        mask.put("type", "field-mask");
        mask.set("read", read.deepCopy());
        mask.set("write", write.deepCopy());
      }
      ObjectNode fields = ctx.putObject("fields");
      fields.set("read", read);
      fields.set("write", write);
    }
    if (!d.errors().isEmpty()) {
      ArrayNode errors = ctx.putArray("errors");
      for (EvalError e : d.errors()) {
        ObjectNode eo = errors.addObject();
        eo.put("rule", e.ruleId());
        eo.put("message", e.message());
      }
    }
    d.rate().ifPresent(r -> ctx.set("rate", rate(r)));
    ctx.put("policy_version", d.policyVersion());
    return out;
  }

  static ObjectNode rate(RateDecision r) {
    ObjectNode o = JsonCodec.object();
    o.put("intent", r.intent());
    o.put("name", r.limit());
    o.put("limit", r.quota());
    o.put("remaining", r.remaining());
    o.put("reset", ceilSeconds(r.resetAfter()));
    o.put("retry_after", ceilSeconds(r.retryAfter()));
    // the budget store could not answer, and the limit's `on unavailable` mode decided
    r.unavailable().ifPresent(m -> o.put("unavailable", m.word()));
    return o;
  }

  private static long ceilSeconds(java.time.Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }

  /** A per-item failure in a batch, as the spec shows: a closed decision with {@code context.error}. */
  static ObjectNode itemError(ApiException e) {
    ObjectNode out = JsonCodec.object();
    out.put("decision", false);
    ObjectNode err = out.putObject("context").putObject("error");
    err.put("status", e.code().status());
    err.put("code", e.code().code());
    err.put("message", e.getMessage());
    if (e.details().has("path")) {
      err.put("path", e.details().get("path").asText());
    }
    return out;
  }
}

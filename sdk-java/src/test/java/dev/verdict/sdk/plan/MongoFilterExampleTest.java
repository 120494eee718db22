package dev.verdict.sdk.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The visitor API for a target other than SQL, by example: a plan as a MongoDB query document
 * (what a service would pass to {@code collection.find}). Atoms require the field to exist, as
 * the plan's atoms do.
 */
class MongoFilterExampleTest {
  static final class MongoQuery implements FilterVisitor<ObjectNode> {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Override
    public ObjectNode constant(boolean value) {
      ObjectNode none = F.objectNode();
      none.putObject("_id").putArray("$in");
      return value ? F.objectNode() : none;
    }

    @Override
    public ObjectNode and(List<ObjectNode> args) {
      ObjectNode o = F.objectNode();
      args.forEach(o.putArray("$and")::add);
      return o;
    }

    @Override
    public ObjectNode or(List<ObjectNode> args) {
      ObjectNode o = F.objectNode();
      args.forEach(o.putArray("$or")::add);
      return o;
    }

    @Override
    public ObjectNode not(ObjectNode arg) {
      ObjectNode o = F.objectNode();
      o.putArray("$nor").add(arg);
      return o;
    }

    @Override
    public ObjectNode compare(String op, List<String> path, JsonNode value) {
      String mongo = switch (op) {
        case "==" -> "$eq";
        case "!=" -> "$ne";
        case "<" -> "$lt";
        case "<=" -> "$lte";
        case ">" -> "$gt";
        default -> "$gte";
      };
      ObjectNode cond = F.objectNode().put("$exists", true);
      cond.set(mongo, id(value));
      return field(path, cond);
    }

    @Override
    public ObjectNode in(List<String> path, List<JsonNode> values, boolean negated) {
      ObjectNode cond = F.objectNode().put("$exists", true);
      ArrayNode list = cond.putArray(negated ? "$nin" : "$in");
      values.forEach(v -> list.add(id(v)));
      return field(path, cond);
    }

    @Override
    public ObjectNode contains(List<String> path, List<JsonNode> values, boolean negated) {
      return in(path, values, negated); // Mongo's $in on an array field matches any element
    }

    @Override
    public ObjectNode has(List<String> path) {
      return field(path, F.objectNode().put("$exists", true));
    }

    @Override
    public ObjectNode like(List<String> path, String pattern, boolean negated) {
      String regex = "^" + java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q") + "$";
      ObjectNode cond = F.objectNode();
      if (negated) {
        cond.put("$exists", true).putObject("$not").put("$regex", regex);
      } else {
        cond.put("$regex", regex);
      }
      return field(path, cond);
    }

    @Override
    public ObjectNode under(List<EntityRef> entities) {
      ObjectNode cond = F.objectNode();
      ArrayNode list = cond.putArray("$in");
      entities.forEach(e -> list.add(e.type() + "::" + e.id()));
      return field(List.of("ancestors"), cond);
    }

    private static JsonNode id(JsonNode v) {
      return v.has("__entity") ? v.get("__entity").get("id") : v;
    }

    private static ObjectNode field(List<String> path, ObjectNode cond) {
      ObjectNode o = F.objectNode();
      o.set(String.join(".", path), cond);
      return o;
    }
  }

  @Test
  void aPlanBecomesAMongoQuery() throws Exception {
    PlanFilter plan = PlanFilter.parse("{\"planVersion\": 1, \"kind\": \"CONDITIONAL\", \"resourceType\": \"Account\","
        + " \"action\": \"read\", \"policyVersion\": \"sha256:x\", \"rules\": [],"
        + " \"filter\": {\"op\": \"and\", \"args\": [{\"op\": \"==\", \"path\": [\"tenant\"], \"value\": \"bank1\"},"
        + " {\"op\": \"not\", \"arg\": {\"op\": \"==\", \"path\": [\"frozen\"], \"value\": true}}]}}");

    ObjectNode query = plan.accept(new MongoQuery());

    assertThat(query).isEqualTo(new ObjectMapper().readTree("{\"$and\": ["
        + "{\"tenant\": {\"$exists\": true, \"$eq\": \"bank1\"}},"
        + "{\"$nor\": [{\"frozen\": {\"$exists\": true, \"$eq\": true}}]}]}"));
  }

  @Test
  void aPlanOfAnotherFormatOrShapeIsRefusedWithItsPath() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlanFilter.parse("{\"planVersion\": 2}"))
        .hasMessageStartingWith("$.planVersion: this SDK reads plans of version 1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlanFilter.parse("{\"planVersion\": 1,"
            + " \"kind\": \"CONDITIONAL\", \"filter\": {\"op\": \"and\", \"args\": [{\"op\": \"regex\"}]}}"))
        .hasMessage("$.filter.args[0].op: unknown filter operator `regex`; this SDK reads plan format 1");
  }
}

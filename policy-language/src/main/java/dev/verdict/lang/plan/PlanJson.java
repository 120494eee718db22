package dev.verdict.lang.plan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import java.util.List;

/**
 * A plan as JSON, format version {@value Plan#FORMAT_VERSION} (documented in docs/api.md, "Query
 * plans"):
 * <pre>
 * {"planVersion": 1, "kind": "CONDITIONAL", "resourceType": "Account", "action": "read",
 *  "policyVersion": "sha256:…", "rules": ["accounts:12"],
 *  "filter": {"op": "or", "args": [{"op": "==", "path": ["owner"], "value": "alice"}, …]}}
 * </pre>
 */
public final class PlanJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private PlanJson() {}

  public static ObjectNode write(Plan plan) {
    ObjectNode o = F.objectNode();
    o.put("planVersion", Plan.FORMAT_VERSION);
    o.put("kind", plan.kind().name());
    o.put("resourceType", plan.resourceType());
    o.put("action", plan.action());
    o.put("policyVersion", plan.policyVersion());
    ArrayNode rules = o.putArray("rules");
    plan.rules().forEach(rules::add);
    o.set("filter", filter(plan.filter()));
    return o;
  }

  public static ObjectNode filter(Filter f) {
    ObjectNode o = F.objectNode();
    if (f instanceof Filter.Const c) {
      o.put("op", c.value() ? "true" : "false");
    } else if (f instanceof Filter.And a) {
      o.put("op", "and");
      ArrayNode args = o.putArray("args");
      a.args().forEach(x -> args.add(filter(x)));
    } else if (f instanceof Filter.Or a) {
      o.put("op", "or");
      ArrayNode args = o.putArray("args");
      a.args().forEach(x -> args.add(filter(x)));
    } else if (f instanceof Filter.Not n) {
      o.put("op", "not");
      o.set("arg", filter(n.arg()));
    } else if (f instanceof Filter.Compare c) {
      o.put("op", c.op().symbol());
      o.set("path", path(c.path()));
      o.set("value", Values.toJson(c.value()));
    } else if (f instanceof Filter.In in) {
      o.put("op", in.negated() ? "not_in" : "in");
      o.set("path", path(in.path()));
      o.set("values", values(in.values()));
    } else if (f instanceof Filter.Contains c) {
      o.put("op", c.negated() ? "not_contains" : "contains");
      o.set("path", path(c.path()));
      o.set("values", values(c.values()));
    } else if (f instanceof Filter.Has h) {
      o.put("op", "has");
      o.set("path", path(List.of(h.name())));
    } else if (f instanceof Filter.Like l) {
      o.put("op", l.negated() ? "not_like" : "like");
      o.set("path", path(l.path()));
      o.put("pattern", l.pattern());
    } else if (f instanceof Filter.Under u) {
      o.put("op", "under");
      ArrayNode es = o.putArray("entities");
      for (EntityUid e : u.entities()) {
        es.addObject().put("type", e.type()).put("id", e.id());
      }
    }
    return o;
  }

  private static ArrayNode path(List<String> path) {
    ArrayNode a = F.arrayNode();
    path.forEach(a::add);
    return a;
  }

  private static ArrayNode values(List<Value> values) {
    ArrayNode a = F.arrayNode();
    values.forEach(v -> a.add(Values.toJson(v)));
    return a;
  }
}

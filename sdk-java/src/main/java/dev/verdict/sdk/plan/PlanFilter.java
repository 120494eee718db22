package dev.verdict.sdk.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A query plan as the PDP sends it ({@code POST /v1/plan}, {@code verdict plan --format json}, or
 * {@code PlanJson} of an embedded engine), format version 1, read and checked once. Immutable.
 *
 * <pre>{@code
 * PlanFilter plan = PlanFilter.parse(json);
 * if (plan.kind() == PlanFilter.Kind.ALWAYS_DENIED) return List.of();
 * SqlWhere where = SqlWhere.of(plan, columns);   // "tenant = ? AND owner = ?" with its parameters
 * }</pre>
 */
public final class PlanFilter {
  /** The plan format this SDK reads. */
  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  public enum Kind { ALWAYS_ALLOWED, ALWAYS_DENIED, CONDITIONAL }

  private static final JsonNode FALSE = JSON.createObjectNode().put("op", "false");

  private final Kind kind;
  private final String resourceType;
  private final JsonNode filter;
  private final java.util.Optional<String> failure;

  private PlanFilter(Kind kind, String resourceType, JsonNode filter, java.util.Optional<String> failure) {
    this.kind = kind;
    this.resourceType = resourceType;
    this.filter = filter;
    this.failure = failure;
  }

  /**
   * The closed answer when no plan could be had (the PDP did not answer, or the rules read the
   * resource in a way a filter cannot express): list nothing, and say why. A service that gets
   * one for an unsupported plan decides per resource instead.
   */
  public static PlanFilter failed(String resourceType, String why) {
    return new PlanFilter(Kind.ALWAYS_DENIED, Objects.requireNonNull(resourceType, "resourceType is null"), FALSE,
        java.util.Optional.of(Objects.requireNonNull(why, "why is null")));
  }

  /** Why there is no real plan (then the kind is {@code ALWAYS_DENIED}); empty for a real one. */
  public java.util.Optional<String> failure() {
    return failure;
  }

  public static PlanFilter parse(String json) {
    try {
      return parse(JSON.readTree(Objects.requireNonNull(json, "json is null")));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the plan is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** @throws IllegalArgumentException naming the JSON path of what is wrong */
  public static PlanFilter parse(JsonNode plan) {
    if (plan == null || !plan.isObject()) {
      throw new IllegalArgumentException("$: a plan is a JSON object");
    }
    JsonNode v = plan.get("planVersion");
    if (v == null || !v.isInt() || v.intValue() != FORMAT_VERSION) {
      throw new IllegalArgumentException("$.planVersion: this SDK reads plans of version " + FORMAT_VERSION
          + ", found " + v + "; update the SDK");
    }
    Kind kind;
    try {
      kind = Kind.valueOf(plan.path("kind").asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("$.kind: one of ALWAYS_ALLOWED, ALWAYS_DENIED, CONDITIONAL");
    }
    check(plan.get("filter"), "$.filter", 0);
    return new PlanFilter(kind, plan.path("resourceType").asText(), plan.get("filter"), java.util.Optional.empty());
  }

  public Kind kind() {
    return kind;
  }

  public String resourceType() {
    return resourceType;
  }

  public <R> R accept(FilterVisitor<R> v) {
    return visit(filter, v);
  }

  private static <R> R visit(JsonNode n, FilterVisitor<R> v) {
    String op = n.get("op").textValue();
    switch (op) {
      case "true":
        return v.constant(true);
      case "false":
        return v.constant(false);
      case "and":
      case "or": {
        List<R> args = new ArrayList<>();
        n.get("args").forEach(a -> args.add(visit(a, v)));
        return op.equals("and") ? v.and(args) : v.or(args);
      }
      case "not":
        return v.not(visit(n.get("arg"), v));
      case "in":
      case "not_in":
        return v.in(path(n), values(n), op.equals("not_in"));
      case "contains":
      case "not_contains":
        return v.contains(path(n), values(n), op.equals("not_contains"));
      case "has":
        return v.has(path(n));
      case "like":
      case "not_like":
        return v.like(path(n), n.get("pattern").textValue(), op.equals("not_like"));
      case "under": {
        List<FilterVisitor.EntityRef> es = new ArrayList<>();
        n.get("entities").forEach(e -> es.add(new FilterVisitor.EntityRef(e.get("type").textValue(),
            e.get("id").textValue())));
        return v.under(es);
      }
      default:
        return v.compare(op, path(n), n.get("value"));
    }
  }

  private static List<String> path(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.get("path").forEach(p -> out.add(p.textValue()));
    return out;
  }

  private static List<JsonNode> values(JsonNode n) {
    List<JsonNode> out = new ArrayList<>();
    n.get("values").forEach(out::add);
    return out;
  }

  private static final int MAX_DEPTH = 200;

  private static void check(JsonNode n, String at, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(at + ": the filter is nested deeper than " + MAX_DEPTH);
    }
    if (n == null || !n.isObject() || !n.path("op").isTextual()) {
      throw new IllegalArgumentException(at + ": a filter node is an object with a string `op`");
    }
    String op = n.get("op").textValue();
    switch (op) {
      case "true", "false" -> { }
      case "and", "or" -> {
        JsonNode args = n.get("args");
        if (args == null || !args.isArray()) {
          throw new IllegalArgumentException(at + ".args: `" + op + "` needs an array `args`");
        }
        for (int i = 0; i < args.size(); i++) {
          check(args.get(i), at + ".args[" + i + "]", depth + 1);
        }
      }
      case "not" -> check(n.get("arg"), at + ".arg", depth + 1);
      case "==", "!=", "<", "<=", ">", ">=" -> {
        checkPath(n, at);
        if (n.get("value") == null) {
          throw new IllegalArgumentException(at + ".value: `" + op + "` needs a `value`");
        }
      }
      case "in", "not_in", "contains", "not_contains" -> {
        checkPath(n, at);
        if (!n.path("values").isArray()) {
          throw new IllegalArgumentException(at + ".values: `" + op + "` needs an array `values`");
        }
      }
      case "has" -> checkPath(n, at);
      case "like", "not_like" -> {
        checkPath(n, at);
        if (!n.path("pattern").isTextual()) {
          throw new IllegalArgumentException(at + ".pattern: `" + op + "` needs a string `pattern`");
        }
      }
      case "under" -> {
        JsonNode es = n.get("entities");
        if (es == null || !es.isArray()) {
          throw new IllegalArgumentException(at + ".entities: `under` needs an array of {\"type\", \"id\"}");
        }
        for (int i = 0; i < es.size(); i++) {
          if (!es.get(i).path("type").isTextual() || !es.get(i).path("id").isTextual()) {
            throw new IllegalArgumentException(at + ".entities[" + i + "]: an entity is {\"type\", \"id\"}");
          }
        }
      }
      default -> throw new IllegalArgumentException(at + ".op: unknown filter operator `" + op
          + "`; this SDK reads plan format " + FORMAT_VERSION);
    }
  }

  private static void checkPath(JsonNode n, String at) {
    JsonNode p = n.get("path");
    if (p == null || !p.isArray() || p.isEmpty()) {
      throw new IllegalArgumentException(at + ".path: a non-empty array of attribute names");
    }
    for (JsonNode x : p) {
      if (!x.isTextual()) {
        throw new IllegalArgumentException(at + ".path: a non-empty array of attribute names");
      }
    }
  }
}

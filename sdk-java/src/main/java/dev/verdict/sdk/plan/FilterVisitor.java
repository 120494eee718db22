package dev.verdict.sdk.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Turns a plan's filter into something else: a SQL condition ({@link SqlWhere}), a JPA
 * Criteria predicate, a Mongo or Elasticsearch query. {@link PlanFilter#accept} calls one method
 * per node, children first. Paths are the attribute names of {@code resource.<path>}; values are
 * the plan's JSON values (an entity is {@code {"__entity": {"type", "id"}}}). Every node is
 * two-valued: an attribute that is missing or of another kind makes an atom false, so a target
 * with three-valued logic (SQL's NULL) must make its atoms false on missing values.
 */
public interface FilterVisitor<R> {
  R constant(boolean value);

  R and(List<R> args);

  R or(List<R> args);

  R not(R arg);

  /** {@code op} is one of {@code == != < <= > >=}. */
  R compare(String op, List<String> path, JsonNode value);

  R in(List<String> path, List<JsonNode> values, boolean negated);

  /** The set at {@code path} holds one of the values (or, for entity values, is one of them). */
  R contains(List<String> path, List<JsonNode> values, boolean negated);

  R has(List<String> path);

  /** {@code pattern}: {@code *} is any run of characters, {@code \*} a star. */
  R like(List<String> path, String pattern, boolean negated);

  /** The resource is one of the entities or below one of them. */
  R under(List<EntityRef> entities);

  /** An entity named by a plan. */
  record EntityRef(String type, String id) {}
}

package dev.verdict.sdk.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a resource's attributes live in SQL: per attribute path ({@code "tenant"},
 * {@code "holder.name"}), a column or any SQL expression over the row (a JSON path such as
 * {@code data->>'tenant'} in PostgreSQL); per set-valued attribute, a subquery listing its
 * values for the row; per ancestor type, a subquery listing the row's ancestors of that type
 * (transitively). The SQL here is the service's own, never a value from a request: values only
 * ever reach the database as bound parameters. Entity-valued attributes are stored as the
 * entity's id. Immutable.
 *
 * <pre>{@code
 * Columns columns = Columns.builder()
 *     .column("id", "a.id").column("tenant", "a.tenant").column("owner", "a.owner_id")
 *     .set("tags", "SELECT t.tag FROM account_tags t WHERE t.account_id = a.id")
 *     .ancestors("Region", "SELECT r.region_id FROM branch_regions r WHERE r.branch_id = a.branch_id")
 *     .build();
 * }</pre>
 */
public final class Columns {
  private final Map<String, String> expressions;
  private final Map<String, String> sets;
  private final Map<String, String> ancestors;

  private Columns(Builder b) {
    this.expressions = Map.copyOf(b.expressions);
    this.sets = Map.copyOf(b.sets);
    this.ancestors = Map.copyOf(b.ancestors);
  }

  public static Builder builder() {
    return new Builder();
  }

  String expression(List<String> path) {
    return expressions.get(String.join(".", path));
  }

  String set(List<String> path) {
    return sets.get(String.join(".", path));
  }

  String ancestors(String type) {
    return ancestors.get(type);
  }

  public static final class Builder {
    private final Map<String, String> expressions = new HashMap<>();
    private final Map<String, String> sets = new HashMap<>();
    private final Map<String, String> ancestors = new HashMap<>();

    /** {@code resource.<path>} is the SQL expression {@code sql} (a column, or a JSON path). */
    public Builder column(String path, String sql) {
      expressions.put(Objects.requireNonNull(path, "path is null"), Objects.requireNonNull(sql, "sql is null"));
      return this;
    }

    /**
     * {@code resource.<path>} is a set whose values {@code subquery} lists for the row (one
     * column, no NULLs). A set so stored always exists, possibly empty.
     */
    public Builder set(String path, String subquery) {
      sets.put(Objects.requireNonNull(path, "path is null"), Objects.requireNonNull(subquery, "subquery is null"));
      return this;
    }

    /**
     * {@code subquery} lists the ids of the row's ancestors of {@code type}: its parents of that
     * type, their parents, … (a closure table, or a recursive query).
     */
    public Builder ancestors(String type, String subquery) {
      ancestors.put(Objects.requireNonNull(type, "type is null"), Objects.requireNonNull(subquery, "subquery is null"));
      return this;
    }

    public Columns build() {
      return new Columns(this);
    }
  }
}

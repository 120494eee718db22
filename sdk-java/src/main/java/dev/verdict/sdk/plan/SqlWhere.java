package dev.verdict.sdk.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A plan's filter as a SQL condition with {@code ?} placeholders and the values to bind, in
 * order: {@code WHERE tenant = ? AND owner_id = ?} with {@code ["bank1", "alice"]}. Values are
 * never written into the SQL. Every atom is false on NULL ({@code (col IS NOT NULL AND col = ?)}),
 * so {@code NOT} keeps the plan's two-valued meaning. Standard SQL; tested on H2 and PostgreSQL.
 *
 * <pre>{@code
 * SqlWhere where = SqlWhere.of(PlanFilter.parse(planJson), columns);
 * try (PreparedStatement st = db.prepareStatement("SELECT a.id FROM accounts a WHERE " + where.sql())) {
 *   where.bind(st, 1);
 *   …
 * }
 * }</pre>
 *
 * @param sql the condition, for after {@code WHERE}
 * @param parameters the values of its placeholders: {@code String}, {@code BigDecimal} or
 *     {@code Boolean} (an entity is its id)
 */
public record SqlWhere(String sql, List<Object> parameters) {
  public SqlWhere {
    Objects.requireNonNull(sql, "sql is null");
    parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
  }

  /**
   * @throws IllegalArgumentException when the plan reads an attribute {@code columns} does not
   *     map, or compares with a value SQL cannot bind (a set or a record)
   */
  public static SqlWhere of(PlanFilter plan, Columns columns) {
    List<Object> params = new ArrayList<>();
    String sql = plan.accept(new SqlVisitor(columns, params, plan.resourceType()));
    return new SqlWhere(sql, params);
  }

  /** Binds the parameters to {@code statement} from placeholder {@code first} on; returns the next index. */
  public int bind(java.sql.PreparedStatement statement, int first) throws java.sql.SQLException {
    int i = first;
    for (Object p : parameters) {
      statement.setObject(i++, p);
    }
    return i;
  }

  /** The visitor that writes the SQL; one per plan. */
  private static final class SqlVisitor implements FilterVisitor<String> {
    private final Columns columns;
    private final List<Object> params;
    private final String resourceType;

    SqlVisitor(Columns columns, List<Object> params, String resourceType) {
      this.columns = columns;
      this.params = params;
      this.resourceType = resourceType;
    }

    @Override
    public String constant(boolean value) {
      return value ? "1 = 1" : "1 = 0";
    }

    @Override
    public String and(List<String> args) {
      return "(" + String.join(" AND ", args) + ")";
    }

    @Override
    public String or(List<String> args) {
      return "(" + String.join(" OR ", args) + ")";
    }

    @Override
    public String not(String arg) {
      return "NOT " + arg;
    }

    @Override
    public String compare(String op, List<String> path, JsonNode value) {
      String e = expression(path);
      String sqlOp = op.equals("==") ? "=" : op.equals("!=") ? "<>" : op;
      return "(" + e + " IS NOT NULL AND " + e + " " + sqlOp + " " + param(value) + ")";
    }

    @Override
    public String in(List<String> path, List<JsonNode> values, boolean negated) {
      String e = expression(path);
      if (values.isEmpty()) {
        return "(" + e + " IS NOT NULL AND " + constant(negated) + ")";
      }
      return "(" + e + " IS NOT NULL AND " + e + (negated ? " NOT IN (" : " IN (") + params(values) + "))";
    }

    @Override
    public String contains(List<String> path, List<JsonNode> values, boolean negated) {
      String set = columns.set(path);
      if (set == null) {
        // A single entity-valued column: `principal in resource.owner`.
        if (values.isEmpty() || !values.get(0).has("__entity")) {
          throw unmapped(path, "set(\"" + String.join(".", path) + "\", subquery)");
        }
        return in(path, values, negated);
      }
      if (values.isEmpty()) {
        return constant(negated);
      }
      List<String> hits = new ArrayList<>();
      for (JsonNode v : values) {
        hits.add(param(v) + " IN (" + set + ")");
      }
      String any = "(" + String.join(" OR ", hits) + ")";
      return negated ? "NOT " + any : any;
    }

    @Override
    public String has(List<String> path) {
      if (columns.set(path) != null) {
        return constant(true);
      }
      return "(" + expression(path) + " IS NOT NULL)";
    }

    @Override
    public String like(List<String> path, String pattern, boolean negated) {
      String e = expression(path);
      params.add(likePattern(pattern));
      return "(" + e + " IS NOT NULL AND " + e + (negated ? " NOT LIKE" : " LIKE") + " ? ESCAPE '\\')";
    }

    @Override
    public String under(List<EntityRef> entities) {
      List<String> parts = new ArrayList<>();
      for (EntityRef e : entities) {
        if (e.type().equals(resourceType)) {
          params.add(e.id());
          parts.add("(" + expression(List.of("id")) + " = ?)");
        }
        String ancestors = columns.ancestors(e.type());
        if (ancestors == null) {
          if (e.type().equals(resourceType)) {
            continue;
          }
          throw new IllegalArgumentException("the plan asks whether the resource is under " + e.type() + "::\""
              + e.id() + "\", and the column mapping lists no ancestors of type " + e.type()
              + "; add ancestors(\"" + e.type() + "\", subquery)");
        }
        params.add(e.id());
        parts.add("? IN (" + ancestors + ")");
      }
      return parts.isEmpty() ? constant(false) : "(" + String.join(" OR ", parts) + ")";
    }

    private String expression(List<String> path) {
      String e = columns.expression(path);
      if (e == null) {
        throw unmapped(path, "column(\"" + String.join(".", path) + "\", sql)");
      }
      return e;
    }

    private static IllegalArgumentException unmapped(List<String> path, String fix) {
      return new IllegalArgumentException("the plan reads resource." + String.join(".", path)
          + ", which the column mapping does not map; add " + fix);
    }

    private String params(List<JsonNode> values) {
      List<String> marks = new ArrayList<>();
      for (JsonNode v : values) {
        marks.add(param(v));
      }
      return String.join(", ", marks);
    }

    private String param(JsonNode v) {
      params.add(bindable(v));
      return "?";
    }

    private static Object bindable(JsonNode v) {
      if (v.isTextual()) {
        return v.textValue();
      }
      if (v.isNumber()) {
        return v.decimalValue();
      }
      if (v.isBoolean()) {
        return v.booleanValue();
      }
      if (v.isObject() && v.path("__entity").path("id").isTextual()) {
        return v.get("__entity").get("id").textValue();
      }
      throw new IllegalArgumentException("the plan compares with " + v + ", which SQL cannot bind as one value");
    }

    /** A {@code like} pattern of the policy language as SQL LIKE with {@code \} as the escape. */
    static String likePattern(String pattern) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (c == '\\' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
          b.append('*');
          i++;
        } else if (c == '*') {
          b.append('%');
        } else if (c == '%' || c == '_' || c == '\\') {
          b.append('\\').append(c);
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }
  }
}

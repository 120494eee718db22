package dev.verdict.sdk.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL a plan becomes: placeholders only, NULL-safe atoms, clear errors for unmapped attributes. */
class SqlWhereTest {
  private static PlanFilter plan(String filter) {
    return PlanFilter.parse("{\"planVersion\": 1, \"kind\": \"CONDITIONAL\", \"resourceType\": \"Account\","
        + " \"filter\": " + filter + "}");
  }

  private static final Columns COLUMNS = Columns.builder().column("id", "a.id").column("tenant", "a.tenant")
      .column("owner", "a.owner_id").column("name", "a.name").build();

  @Test
  void valuesAreBoundNeverWritten() {
    SqlWhere w = SqlWhere.of(plan("{\"op\": \"or\", \"args\": ["
        + "{\"op\": \"==\", \"path\": [\"tenant\"], \"value\": \"x' OR 1=1 --\"},"
        + "{\"op\": \"in\", \"path\": [\"owner\"], \"values\": [{\"__entity\": {\"type\": \"User\", \"id\": \"alice\"}}, 7]}]}"),
        COLUMNS);

    assertThat(w.sql()).isEqualTo("((a.tenant IS NOT NULL AND a.tenant = ?) OR (a.owner_id IS NOT NULL AND a.owner_id IN (?, ?)))");
    assertThat(w.parameters()).containsExactly("x' OR 1=1 --", "alice", new BigDecimal("7"));
  }

  @Test
  void likePatternsEscapeSqlWildcards() {
    SqlWhere w = SqlWhere.of(plan("{\"op\": \"not_like\", \"path\": [\"name\"], \"pattern\": \"50%_*\\\\*\"}"), COLUMNS);

    assertThat(w.sql()).isEqualTo("(a.name IS NOT NULL AND a.name NOT LIKE ? ESCAPE '\\')");
    assertThat(w.parameters()).isEqualTo(List.of("50\\%\\_%*"));
  }

  @Test
  void anUnmappedAttributeOrAncestorTypeSaysWhatToAdd() {
    assertThatThrownBy(() -> SqlWhere.of(plan("{\"op\": \"==\", \"path\": [\"holder\", \"ssn\"], \"value\": \"1\"}"), COLUMNS))
        .hasMessage("the plan reads resource.holder.ssn, which the column mapping does not map;"
            + " add column(\"holder.ssn\", sql)");
    assertThatThrownBy(() -> SqlWhere.of(plan("{\"op\": \"under\", \"entities\": [{\"type\": \"Region\", \"id\": \"north\"}]}"),
        COLUMNS)).hasMessageContaining("add ancestors(\"Region\", subquery)");
  }
}

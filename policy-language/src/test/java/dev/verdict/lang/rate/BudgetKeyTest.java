package dev.verdict.lang.rate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BudgetKeyTest {

  @Test
  void aSeparatorInsideAPartDoesNotMakeTwoKeysOne() {
    BudgetKey a = BudgetKey.of("transfers").add("alice|x").add("y").build();
    BudgetKey b = BudgetKey.of("transfers").add("alice").add("x|y").build();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void partsAreTypedAndCounted() {
    assertThat(BudgetKey.of("l").add("String", "1").build())
        .isNotEqualTo(BudgetKey.of("l").add("Num", "1").build());
    assertThat(BudgetKey.of("l").add("").build()).isNotEqualTo(BudgetKey.of("l").build());
    assertThat(BudgetKey.of("a").add("b").build()).isNotEqualTo(BudgetKey.of("ab").build());
  }

  @Test
  void equalPartsAreOneBudget() {
    assertThat(BudgetKey.of("l").add("alice").add("10.0.0.1").build())
        .isEqualTo(BudgetKey.of("l").add("alice").add("10.0.0.1").build())
        .hasSameHashCodeAs(BudgetKey.of("l").add("alice").add("10.0.0.1").build());
  }

  @Test
  void theKeyNeverShowsItsValues() {
    BudgetKey k = BudgetKey.of("logins").add("203.0.113.9").build();
    assertThat(k.toString()).contains("logins").doesNotContain("203.0.113.9");
  }
}

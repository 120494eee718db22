package dev.verdict.lang.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WriteMaskTest {

  @Test
  void mergeIsAUnion() {
    WriteMask a = WriteMask.of(List.of("owner", "tenant"));
    WriteMask b = WriteMask.of(List.of("balance", "owner"));
    assertThat(a.merge(b).denied()).containsExactly("balance", "owner", "tenant");
    assertThat(a.with("items[].price").denied()).containsExactly("items[].price", "owner", "tenant");
    assertThat(a.merge(WriteMask.empty())).isSameAs(a);
    assertThat(WriteMask.empty().isEmpty()).isTrue();
    assertThat(a).isEqualTo(WriteMask.of(List.of("tenant", "owner", "owner")));
    assertThat(a.toString()).isEqualTo("owner=deny;tenant=deny");
  }

  @Test
  void refusesBadPaths() {
    assertThatThrownBy(() -> WriteMask.of(List.of("owner", "a..b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("`a..b` is not a field path");
  }
}

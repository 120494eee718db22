package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTemplateTest {
  @Test
  void splitsLiteralsAndParameters() {
    RouteTemplate t = RouteTemplate.parse("/accounts/{id}/transfers");
    assertThat(t.problem()).isEmpty();
    assertThat(t.segments()).containsExactly(
        new RouteTemplate.Segment("accounts", null),
        new RouteTemplate.Segment(null, "id"),
        new RouteTemplate.Segment("transfers", null));
    assertThat(t.params()).containsExactly("id");
  }

  @Test
  void acceptsTheRoot() {
    assertThat(RouteTemplate.parse("/").problem()).isEmpty();
    assertThat(RouteTemplate.parse("/").segments()).isEmpty();
  }

  @Test
  void pointsAtTheOffendingPart() {
    RouteTemplate.Problem p = RouteTemplate.parse("/a/{id}/{id}").problem().orElseThrow();
    assertThat(p.message()).isEqualTo("route parameter `id` appears twice");
    assertThat("/a/{id}/{id}".substring(p.from(), p.to())).isEqualTo("id");
    RouteTemplate.Problem q = RouteTemplate.parse("/a?b").problem().orElseThrow();
    assertThat("/a?b".substring(q.from(), q.to())).isEqualTo("?b");
  }

  @Test
  void matchesConcretePathsIgnoringQueryAndOneTrailingSlash() {
    RouteTemplate t = RouteTemplate.parse("/accounts/{id}");
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts/a1").orElseThrow())).isTrue();
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts/a1/?x=1").orElseThrow())).isTrue();
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts/").orElseThrow())).isFalse();
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts//").orElseThrow())).isFalse();
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts/a1/x").orElseThrow())).isFalse();
    assertThat(RouteTemplate.pathSegments("accounts/a1")).isEmpty();
    assertThat(RouteTemplate.pathSegments("/")).contains(List.of());
  }
}

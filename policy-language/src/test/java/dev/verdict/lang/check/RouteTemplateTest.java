package dev.verdict.lang.check;

import dev.verdict.lang.route.RouteTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTemplateTest {
  @Test
  void splitsLiteralsAndParameters() {
    RouteTemplate t = RouteTemplate.read("/accounts/{id}/transfers");
    assertThat(t.problem()).isEmpty();
    assertThat(t.segments()).containsExactly(
        new RouteTemplate.Segment("accounts", null),
        new RouteTemplate.Segment(null, "id"),
        new RouteTemplate.Segment("transfers", null));
    assertThat(t.paramNames()).containsExactly("id");
  }

  @Test
  void acceptsTheRoot() {
    assertThat(RouteTemplate.read("/").problem()).isEmpty();
    assertThat(RouteTemplate.read("/").segments()).isEmpty();
  }

  @Test
  void pointsAtTheOffendingPart() {
    RouteTemplate.Problem p = RouteTemplate.read("/a/{id}/{id}").problem().orElseThrow();
    assertThat(p.message()).isEqualTo("route parameter `id` appears twice");
    assertThat("/a/{id}/{id}".substring(p.from(), p.to())).isEqualTo("id");
    RouteTemplate.Problem q = RouteTemplate.read("/a?b").problem().orElseThrow();
    assertThat("/a?b".substring(q.from(), q.to())).isEqualTo("?b");
  }

  @Test
  void matchesConcretePathsIgnoringQueryAndOneTrailingSlash() {
    RouteTemplate t = RouteTemplate.read("/accounts/{id}");
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts/a1").orElseThrow())).isTrue();
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts/a1/?x=1").orElseThrow())).isTrue();
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts/").orElseThrow())).isFalse();
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts//").orElseThrow())).isFalse();
    assertThat(t.matches(RouteTemplate.pathSegments("/accounts/a1/x").orElseThrow())).isFalse();
    assertThat(RouteTemplate.pathSegments("accounts/a1")).isEmpty();
    assertThat(RouteTemplate.pathSegments("/")).contains(List.of());
  }
}

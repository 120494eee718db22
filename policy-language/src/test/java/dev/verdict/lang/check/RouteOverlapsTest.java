package dev.verdict.lang.check;

import dev.verdict.lang.route.RouteTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteOverlapsTest {
  private static RouteOverlaps.Route route(String method, String template) {
    RouteTemplate t = RouteTemplate.read(template);
    assertThat(t.problem()).as(template).isEmpty();
    return new RouteOverlaps.Route(method, t.segments());
  }

  private static int[] overlaps(RouteOverlaps.Route... routes) {
    return RouteOverlaps.earliestOverlaps(List.of(routes));
  }

  @Test
  void aParameterOnEitherSideMatchesAnyLiteral() {
    assertThat(overlaps(route("GET", "/a/{id}"), route("GET", "/a/new"))).containsExactly(-1, 0);
    assertThat(overlaps(route("GET", "/a/new"), route("GET", "/a/{id}"))).containsExactly(-1, 0);
    assertThat(overlaps(route("GET", "/a/{x}/c"), route("GET", "/a/b/{y}"))).containsExactly(-1, 0);
  }

  @Test
  void differentLiteralsMethodsOrLengthsDoNotOverlap() {
    assertThat(overlaps(route("GET", "/a/b"), route("GET", "/a/c"))).containsExactly(-1, -1);
    assertThat(overlaps(route("GET", "/a/{id}"), route("POST", "/a/{id}"))).containsExactly(-1, -1);
    assertThat(overlaps(route("GET", "/a/{id}"), route("GET", "/a/{id}/b"))).containsExactly(-1, -1);
    assertThat(overlaps(route("GET", "/"), route("GET", "/a"))).containsExactly(-1, -1);
  }

  @Test
  void identicalRoutesOverlapAndRootOverlapsRoot() {
    assertThat(overlaps(route("GET", "/a"), route("GET", "/a"))).containsExactly(-1, 0);
    assertThat(overlaps(route("GET", "/"), route("GET", "/"))).containsExactly(-1, 0);
  }

  @Test
  void reportsEachRouteAgainstTheEarliestRouteItOverlaps() {
    int[] r = overlaps(route("GET", "/a/b/c"), route("GET", "/x/{p}/c"), route("GET", "/{p}/b/{q}"));
    assertThat(r).containsExactly(-1, -1, 0);
  }

  @Test
  void givesAConcretePathBothMatch() {
    assertThat(RouteOverlaps.witness(route("GET", "/a/{x}/{y}").segments(), route("GET", "/{p}/b/{q}").segments()))
        .isEqualTo("/a/b/x");
    assertThat(RouteOverlaps.witness(List.of(), List.of())).isEqualTo("/");
  }

  @Test
  void aThousandDistinctRoutesHaveNoOverlapAndOnlyRealOnesAreFound() {
    List<RouteOverlaps.Route> routes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      routes.add(route(i % 2 == 0 ? "GET" : "POST", "/r" + i + "/{id}/items/{item}"));
    }
    routes.add(route("GET", "/r500/x/items/y"));
    int[] r = RouteOverlaps.earliestOverlaps(routes);
    assertThat(Arrays.stream(r).limit(1000)).allMatch(i -> i == -1);
    assertThat(r[1000]).isEqualTo(500);
  }

  @Test
  void aThousandRoutesThatAllOverlapGiveOneReportEach() {
    List<RouteOverlaps.Route> routes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      routes.add(route("GET", "/{a" + i + "}/{b}"));
    }
    int[] r = RouteOverlaps.earliestOverlaps(routes);
    assertThat(r[0]).isEqualTo(-1);
    assertThat(Arrays.stream(r).skip(1)).allMatch(i -> i == 0);
  }
}

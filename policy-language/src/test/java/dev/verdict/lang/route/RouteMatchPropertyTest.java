package dev.verdict.lang.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.verdict.lang.route.RouteMatch.Matched;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class RouteMatchPropertyTest {

  private static final RouteTable TABLE = Routes.table("""
      route GET    "/accounts"                   -> Account.list
      route GET    "/accounts/{id}"              -> Account[id].read
      route GET    "/accounts/me"                -> Account.readOwn
      route POST   "/accounts/{id}/transfers"    -> Account[id].transfer
      route DELETE "/admin/users/{uid}"          -> User[uid].delete
      route GET    "/{a}/{b}/{c}"                -> Thing[c].read
      """);

  /** Pieces that make the normalisation rules meet: separators, dots, escapes, odd characters. */
  private static final String[] PIECES = {
      "/", "//", ".", "..", "%", "%2", "%2e", "%2E", "%2f", "%2F", "%5c", "%00", "%C3", "%A9",
      "%C0%AE", "%EF%BC%8E", "?", "#", ";", "\\", "a", "a1", "me", "accounts", "admin", "users",
      "transfers", "é", "\u0000", "\uD800", "\uFFFD", " ", "~", "%%", "%zz", "{id}",
  };

  private static Gen<String> paths() {
    Gen<String> piece = Generate.pick(java.util.List.of(PIECES));
    Gen<String> random = SourceDSL.strings().allPossible().ofLengthBetween(0, 40);
    Gen<String> composed = SourceDSL.lists().of(piece).ofSizeBetween(0, 24)
        .map(list -> String.join("", list));
    return composed.mix(random, 30).mix(composed.map(s -> "/" + s), 50);
  }

  @Test
  void matchingNeverThrowsAndAlwaysAnswers() {
    qt().withExamples(20_000).forAll(paths(), Generate.pick(java.util.List.of("GET", "POST", "HEAD", "DELETE", "get", "")))
        .checkAssert((path, method) -> assertThat(TABLE.match(method, path)).isNotNull());
  }

  @Test
  void aMatchNeverHoldsATraversalOrAControlCharacter() {
    qt().withExamples(20_000).forAll(paths()).checkAssert(path -> {
      RouteMatch m = TABLE.match("GET", path);
      if (m instanceof Matched matched) {
        for (String value : matched.params().values()) {
          assertThat(value).isNotEmpty().doesNotContain("\\").doesNotContainPattern("\\p{Cntrl}");
          for (String part : value.split("/", -1)) {
            assertThat(part).isNotIn(".", "..");
          }
        }
        assertThat(path.substring(0, cut(path))).doesNotContain("/../", "/./", "\\", ";");
      }
    });
  }

  @Test
  void byDefaultNoParameterHoldsASlash() {
    qt().withExamples(20_000).forAll(paths()).checkAssert(path -> {
      if (TABLE.match("GET", path) instanceof Matched matched) {
        for (String value : matched.params().values()) {
          assertThat(value).doesNotContain("/");
        }
      }
    });
  }

  private static int cut(String path) {
    int q = path.indexOf('?');
    int h = path.indexOf('#');
    int end = path.length();
    if (q >= 0) {
      end = Math.min(end, q);
    }
    if (h >= 0) {
      end = Math.min(end, h);
    }
    return end;
  }
}

package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  @Test
  void suggestsTheClosestNameWithinTwoEdits() {
    assertThat(Suggestions.closest("ownr", List.of("owner", "admin", "auditor"))).contains("owner");
    assertThat(Suggestions.closest("auditr", List.of("admin", "auditor"))).contains("auditor");
    assertThat(Suggestions.closest("trasnfer", List.of("transfer", "read"))).contains("transfer");
  }

  @Test
  void prefersACaseInsensitiveMatchOverACloserSpelling() {
    assertThat(Suggestions.closest("Admin", List.of("admins", "admin"))).contains("admin");
    assertThat(Suggestions.closest("ACCOUNT", List.of("Account"))).contains("Account");
  }

  @Test
  void suggestsNothingWhenEveryNameIsTooFar() {
    assertThat(Suggestions.closest("superuser", List.of("admin", "auditor"))).isEmpty();
    assertThat(Suggestions.closest("read", List.of())).isEmpty();
  }

  @Test
  void neverReplacesAWholeShortName() {
    assertThat(Suggestions.closest("xy", List.of("id"))).isEmpty();
    assertThat(Suggestions.closest("a", List.of("b"))).isEmpty();
  }

  @Test
  void neverSuggestsTheNameItself() {
    assertThat(Suggestions.closest("read", List.of("read"))).isEmpty();
  }

  @Test
  void breaksTiesAlphabeticallySoTheHelpIsStable() {
    assertThat(Suggestions.closest("cat", List.of("cot", "bat", "cut"))).contains("bat");
    assertThat(Suggestions.closest("cat", List.of("cut", "cot", "bat"))).contains("bat");
  }

  @Test
  void formatsTheHelpLine() {
    assertThat(Suggestions.didYouMean("raed", List.of("read"))).contains("did you mean `read`?");
  }

  @Test
  void computesLevenshteinDistanceAndStopsPastTheBound() {
    assertThat(Suggestions.distance("kitten", "sitting", 5)).isEqualTo(3);
    assertThat(Suggestions.distance("kitten", "sitting", 2)).isEqualTo(3);
    assertThat(Suggestions.distance("abc", "abc", 2)).isZero();
    assertThat(Suggestions.distance("", "ab", 2)).isEqualTo(2);
    assertThat(Suggestions.distance("a", "abcdef", 2)).isEqualTo(3);
    assertThat(Suggestions.distance("naïve", "naive", 2)).isEqualTo(1);
  }

  @Test
  void listsCandidatesInProseAndCountsThoseBeyondTheBound() {
    assertThat(Suggestions.list(List.of())).isEqualTo("nothing");
    assertThat(Suggestions.list(List.of("a"))).isEqualTo("`a`");
    assertThat(Suggestions.list(List.of("a", "b", "c"))).isEqualTo("`a`, `b` and `c`");
    assertThat(Suggestions.list(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")))
        .isEqualTo("`a`, `b`, `c`, `d`, `e`, `f`, `g`, `h` and 2 more");
  }
}

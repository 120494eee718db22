package dev.verdict.lang.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * "Did you mean …?" for the type checker and the entity data checks: the closest candidate
 * that differs only in case or by at most two edits. Kept private to the type passes until
 * it is merged with the name passes' helper.
 */
final class TypoHints {
  private static final int MAX_DISTANCE = 2;

  private TypoHints() {}

  static Optional<String> closest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      if (c.equals(name)) {
        continue;
      }
      int d = c.equalsIgnoreCase(name) ? 0 : distance(name, c);
      // An edit distance as long as the name itself would suggest anything for short names.
      if (d <= MAX_DISTANCE && d < Math.max(name.length(), 2) && d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** "did you mean `owner`?", if there is a close candidate. */
  static Optional<String> didYouMean(String name, Collection<String> candidates) {
    return closest(name, candidates).map(c -> "did you mean `" + c + "`?");
  }

  /** The candidates as a short list in backticks: "`a`, `b` and `c`", "… and 4 more" past eight. */
  static String list(Collection<String> candidates) {
    List<String> shown = new ArrayList<>();
    for (String c : candidates) {
      shown.add("`" + c + "`");
    }
    if (shown.size() > 8) {
      int more = shown.size() - 8;
      return String.join(", ", shown.subList(0, 8)) + " and " + more + " more";
    }
    if (shown.size() <= 1) {
      return shown.isEmpty() ? "nothing" : shown.get(0);
    }
    return String.join(", ", shown.subList(0, shown.size() - 1)) + " and " + shown.get(shown.size() - 1);
  }

  /** Levenshtein distance, bounded: strings far apart in length are not compared cell by cell. */
  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > MAX_DISTANCE) {
      return MAX_DISTANCE + 1;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

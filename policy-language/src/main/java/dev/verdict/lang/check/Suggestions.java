package dev.verdict.lang.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the name a user probably meant when they wrote an unknown one, for "did you mean"
 * help lines. A candidate qualifies when it equals the name ignoring case, or is within
 * {@link #MAX_DISTANCE} edits of it (Levenshtein) and the edits do not replace the whole
 * name (so `id` is never suggested for `xy`). The closest candidate wins; ties go to the
 * alphabetically first, so the help is the same on every run.
 *
 * <p>Every "did you mean" in the checker comes from here, so that the name passes, the type
 * checker and the entity data checks suggest the same names for the same mistakes.
 */
public final class Suggestions {
  /** The most edits a suggestion may be away from what was written. */
  public static final int MAX_DISTANCE = 2;
  /** The most candidates {@link #list} names before it counts the rest. */
  public static final int MAX_LISTED = 8;

  private Suggestions() {}

  /** The candidate closest to {@code name}, if any is close enough. */
  public static Optional<String> closest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = name.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      if (c.equals(name)) {
        continue; // the name itself is no suggestion
      }
      int d;
      if (c.toLowerCase(Locale.ROOT).equals(lower)) {
        d = 0;
      } else {
        d = distance(name, c, MAX_DISTANCE);
        if (d > MAX_DISTANCE || d >= name.length()) {
          continue;
        }
      }
      if (d < bestDistance || (d == bestDistance && c.compareTo(best) < 0)) {
        best = c;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code did you mean `x`?} for the closest candidate, if any. */
  public static Optional<String> didYouMean(String name, Collection<String> candidates) {
    return closest(name, candidates).map(c -> "did you mean `" + c + "`?");
  }

  /**
   * The candidates as a short list for a help line when none is close: "`a`, `b` and `c`";
   * past {@link #MAX_LISTED} it ends "… and 4 more", so a large schema does not flood it.
   */
  public static String list(Collection<String> candidates) {
    return list(candidates, MAX_LISTED);
  }

  /** The same, naming at most {@code most} of them (a short closed set, such as verbs, names all). */
  public static String list(Collection<String> candidates, int most) {
    List<String> shown = new ArrayList<>();
    for (String c : candidates) {
      shown.add("`" + c + "`");
    }
    if (shown.size() > most) {
      int more = shown.size() - most;
      return String.join(", ", shown.subList(0, most)) + " and " + more + " more";
    }
    if (shown.size() <= 1) {
      return shown.isEmpty() ? "nothing" : shown.get(0);
    }
    return String.join(", ", shown.subList(0, shown.size() - 1)) + " and " + shown.get(shown.size() - 1);
  }

  /**
   * The Levenshtein distance between {@code a} and {@code b}, or {@code max + 1} as soon as
   * it is known to exceed {@code max}: names are compared against every declared name, so
   * hopeless candidates are dropped after one row.
   */
  public static int distance(String a, String b, int max) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    if (Math.abs(x.length - y.length) > max) {
      return max + 1;
    }
    int[] prev = new int[y.length + 1];
    int[] cur = new int[y.length + 1];
    for (int j = 0; j <= y.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= x.length; i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= y.length; j++) {
        int cost = x[i - 1] == y[j - 1] ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > max) {
        return max + 1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return Math.min(prev[y.length], max + 1);
  }
}

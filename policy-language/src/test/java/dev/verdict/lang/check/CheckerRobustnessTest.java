package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.verdict.lang.source.Diagnostic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker never throws: a valid set is mutated line by line and word by word (seeded, so
 * a failure reproduces) and every result must be a list of positioned diagnostics. Word
 * swaps keep most mutants parseable, so the semantic passes see odd but well-formed input.
 */
class CheckerRobustnessTest {
  private static final long SEED = 20_240_917L;
  private static final int MUTANTS = 400;

  @Test
  void neverThrowsOnMutatedSets() {
    Random random = new Random(SEED);
    List<String> lines = List.of(ValidSetTest.SET.split("\n", -1));
    List<String> words = Arrays.stream(ValidSetTest.SET.split("[^A-Za-z_*/{}\"]+")).filter(w -> !w.isEmpty()).toList();
    int checked = 0;
    int[] reachedChecker = {0};
    for (int i = 0; i < MUTANTS; i++) {
      List<String> mutant = new ArrayList<>(lines);
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(mutant.size());
        switch (random.nextInt(4)) {
          case 0 -> mutant.remove(at);
          case 1 -> mutant.add(at, mutant.get(random.nextInt(mutant.size())));
          case 2 -> {
            int other = random.nextInt(mutant.size());
            String t = mutant.get(at);
            mutant.set(at, mutant.get(other));
            mutant.set(other, t);
          }
          default -> {
            String line = mutant.get(at);
            String word = words.get(random.nextInt(words.size()));
            String replacement = words.get(random.nextInt(words.size()));
            mutant.set(at, line.replace(word, replacement));
          }
        }
        if (mutant.isEmpty()) {
          mutant.add("");
        }
      }
      String text = String.join("\n", mutant);
      assertThatCode(() -> {
        List<Diagnostic> diags = CheckerTableTest.check(text);
        // No input or syntax error means every semantic pass ran over the mutant.
        if (diags.stream().noneMatch(d -> d.code().id().compareTo("V03") < 0)) {
          reachedChecker[0]++;
        }
        for (Diagnostic d : diags) {
          assertThat(d.message()).as("message of %s", d).isNotBlank().doesNotEndWith(".");
        }
      }).as("checking mutant %d:\n%s", i, text).doesNotThrowAnyException();
      checked++;
    }
    assertThat(checked).isEqualTo(MUTANTS);
    assertThat(reachedChecker[0]).as("mutants that parsed and reached the semantic passes").isGreaterThan(MUTANTS / 10);
  }
}

package dev.verdict.lang.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden-file tests: every {@code .verdict} file, and every {@code .case} directory (a whole
 * policy set, e.g. with entity data), under {@code src/test/resources/golden/} is checked and
 * its rendered diagnostics compared with the {@code .golden} file beside it. Every case is an
 * invalid input and must produce at least one diagnostic.
 *
 * <p>Run with {@code -Dverdict.updateGolden=true} to rewrite the golden files after an
 * intended change; review the diff before committing.
 */
class GoldenTest {
  static final Path ROOT = Path.of("src/test/resources/golden");

  @TestFactory
  Stream<DynamicTest> goldenFiles() throws IOException {
    boolean update = Boolean.getBoolean("verdict.updateGolden");
    List<Path> cases = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(ROOT)) {
      walk.filter(p -> isCase(p)).sorted().forEach(cases::add);
    }
    assertThat(cases).as("golden cases").isNotEmpty();
    return cases.stream().map(c -> DynamicTest.dynamicTest(ROOT.relativize(c).toString(), () -> run(c, update)));
  }

  private static boolean isCase(Path p) {
    String n = p.getFileName().toString();
    if (Files.isDirectory(p)) {
      return n.endsWith(".case");
    }
    return n.endsWith(".verdict") && !p.getParent().getFileName().toString().endsWith(".case")
        && !insideCase(p);
  }

  private static boolean insideCase(Path p) {
    for (Path q = p.getParent(); q != null; q = q.getParent()) {
      if (q.getFileName() != null && q.getFileName().toString().endsWith(".case")) {
        return true;
      }
    }
    return false;
  }

  static Path goldenFor(Path c) {
    String n = c.getFileName().toString();
    String base = n.endsWith(".case") ? n.substring(0, n.length() - 5) : n.substring(0, n.length() - 8);
    return c.resolveSibling(base + ".golden");
  }

  private static void run(Path c, boolean update) throws IOException {
    CheckResult result = Verdict.check(List.of(c));
    String actual = result.render();
    Path golden = goldenFor(c);
    if (update) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(result.diagnostics()).as("%s must produce at least one diagnostic", c).isNotEmpty();
    assertThat(golden).as("golden file for %s (run with -Dverdict.updateGolden=true to create it)", c).exists();
    String expected = Files.readString(golden, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      throw new AssertionError("rendered diagnostics differ from " + golden + " (-expected +actual):\n"
          + LineDiff.unified(expected, actual));
    }
  }
}

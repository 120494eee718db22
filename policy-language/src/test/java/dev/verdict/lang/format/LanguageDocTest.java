package dev.verdict.lang.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.source.Source;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps docs/language.md honest: every {@code ```verdict} block in it is a whole policy
 * file that parses without errors and is already in the layout {@code verdict fmt} writes.
 */
class LanguageDocTest {
  static final Path DOC = Path.of("../docs/language.md");
  static final Path EXAMPLES = Path.of("../docs/examples/language");

  @TestFactory
  Stream<DynamicTest> everyVerdictExampleParsesAndIsFormatted() throws IOException {
    List<String> lines = Files.readAllLines(DOC);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals("```verdict")) {
        continue;
      }
      int start = i + 1;
      StringBuilder block = new StringBuilder();
      for (i = start; i < lines.size() && !lines.get(i).equals("```"); i++) {
        block.append(lines.get(i)).append('\n');
      }
      String text = block.toString();
      String name = "language.md:" + start;
      tests.add(DynamicTest.dynamicTest(name, () -> {
        ParseResult parsed = Parser.parse(new Source(name, text));
        assertThat(parsed.diagnostics()).as(text).isEmpty();
        assertThat(Formatter.format(parsed.file())).as("%s is not in the canonical layout", name).isEqualTo(text);
      }));
    }
    assertThat(tests).as("examples in %s", DOC).hasSizeGreaterThan(10);
    return tests.stream();
  }

  /**
   * The example sets under docs/examples/language are the ones the page shows (and runs with
   * {@code verdict test}): each of their files appears in the page as a block, word for word.
   */
  @Test
  void everyExampleSetIsShownInThePage() throws IOException {
    String doc = Files.readString(DOC);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(EXAMPLES)) {
      files = walk.filter(p -> p.toString().endsWith(".verdict")).sorted().toList();
    }
    assertThat(files).as("example sets in %s", EXAMPLES).isNotEmpty();
    for (Path f : files) {
      assertThat(doc).as("%s is shown in %s as a ```verdict block", f, DOC)
          .contains("```verdict\n" + Files.readString(f) + "```\n");
    }
  }
}

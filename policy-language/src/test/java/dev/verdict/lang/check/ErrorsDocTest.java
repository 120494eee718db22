package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.source.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/errors.md documents every code under a heading links can rely on. */
class ErrorsDocTest {
  @Test
  void everyCodeHasItsHeadingWithAnExampleAndAFix() throws IOException {
    String doc = Files.readString(Path.of("../docs/errors.md"));
    List<String> sections = List.of(doc.split("\n## "));
    for (Code code : Code.values()) {
      String heading = code.id() + " " + code.title() + "\n";
      String section = sections.stream().filter(s -> s.startsWith(heading)).findFirst().orElse(null);
      assertThat(section).as("section `## %s` in docs/errors.md", heading.strip()).isNotNull();
      assertThat(section).as("example message of %s", code.id())
          .contains(code.severity().label() + "[" + code.id() + "]");
      assertThat(section).as("fix of %s", code.id()).contains("Fix:");
    }
  }
}

package dev.verdict.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The SDK is built on the engine's public API only: every Verdict type its main code names is
 * one docs/architecture.md lists under "The public API" (its {@code api-boundary} block), as
 * jdeps reads the compiled classes. policy-language's {@code ApiBoundaryTest} keeps that list
 * closed.
 */
class ApiBoundaryTest {
  static final Path DOC = Path.of("../docs/architecture.md");
  static final Path CLASSES = Path.of("target/classes");

  @Test
  void mainCodeNamesOnlyExportedTypes() throws IOException {
    List<String> exported = exported();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(err),
        "-verbose:class", "-filter:none", CLASSES.toString());
    assertThat(rc).as("jdeps: %s", err).isZero();
    SortedSet<String> outside = new TreeSet<>();
    Pattern dep = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(dev\\.verdict\\.\\S+)");
    for (String line : out.toString().split("\n")) {
      Matcher m = dep.matcher(line);
      if (m.find() && !m.group(2).startsWith("dev.verdict.sdk.") && !allowed(exported, m.group(2))) {
        outside.add(m.group(1) + " -> " + m.group(2));
      }
    }
    assertThat(out.toString()).as("jdeps read the SDK's classes").contains("dev.verdict.sdk.");
    assertThat(outside).as("Verdict types the SDK uses that are not API").isEmpty();
  }

  private static boolean allowed(List<String> exported, String className) {
    String top = className.replaceFirst("\\$.*", "");
    String pkg = top.substring(0, top.lastIndexOf('.'));
    return exported.contains(top) || exported.contains(pkg + ".*");
  }

  /** The lines of the {@code api-boundary} block: {@code package.*} or a type. */
  static List<String> exported() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<!-- api-boundary[^>]*-->\\s*```text\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(m.find()).as("docs/architecture.md has an api-boundary block").isTrue();
    return m.group(1).lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
  }
}

package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.source.Code;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * docs/errors.md is exact: every example in it is run and must report exactly the code of
 * its section, with exactly the output the page shows.
 *
 * <p>An example is a run of input blocks closed by a {@code text} block holding the output:
 * {@code verdict} and {@code json} blocks are files (named by {@code file=…}, default
 * {@code policy.verdict}) written to a directory {@code policies} and checked as
 * {@code verdict check policies}; a {@code sh} block is run by bash in an empty directory and
 * its last line, {@code verdict check ARGS}, names what is checked. {@code sh needs=non-root}
 * marks a setup that root defeats (file permissions); it is skipped when run as root.
 *
 * <p>Run with {@code -Dverdict.updateErrorsDoc=true} to rewrite the output blocks from what
 * the checker prints now; read the diff before committing.
 */
class ErrorsDocTest {
  private static final Path DOC = Path.of("../docs/errors.md");
  private static final Pattern HEADING = Pattern.compile("^## (V\\d{4}) (.*)$");
  private static final Pattern CHECK_LINE = Pattern.compile("^verdict check (.+)$");
  static final String RESERVED = "Reserved, not emitted yet.";

  /** A fenced block: its language, its {@code key=value} attributes and its lines in the doc. */
  private record Block(String lang, Map<String, String> attrs, String body, int first, int last) {}

  /** Input blocks and the output block after them, in the section of {@code code}. */
  private record Example(String code, List<Block> inputs, Block output) {
    String name() {
      return code + " at line " + (output.first() + 1);
    }
  }

  @Test
  void everyCodeHasItsHeadingWithAnExampleAndAFixOrIsMarkedReserved() throws IOException {
    String doc = Files.readString(DOC);
    List<String> sections = List.of(doc.split("\n## "));
    Set<String> exemplified = examples(doc.lines().toList()).stream().map(Example::code).collect(Collectors.toSet());
    for (Code code : Code.values()) {
      String heading = code.id() + " " + code.title() + "\n";
      String section = sections.stream().filter(s -> s.startsWith(heading)).findFirst().orElse(null);
      assertThat(section).as("section `## %s` in docs/errors.md", heading.strip()).isNotNull();
      if (section.contains(RESERVED)) {
        assertThat(exemplified).as("%s is marked reserved but has an example", code.id()).doesNotContain(code.id());
        continue;
      }
      assertThat(exemplified).as("runnable example of %s", code.id()).contains(code.id());
      assertThat(section).as("example message of %s", code.id())
          .contains(code.severity().label() + "[" + code.id() + "]");
      assertThat(section).as("fix of %s", code.id()).contains("Fix:");
    }
  }

  @Test
  void theExtractorFindsExamplesInEveryRange() throws IOException {
    List<Example> all = examples(Files.readAllLines(DOC));
    Set<String> ranges = all.stream().map(e -> e.code().substring(0, 3)).collect(Collectors.toCollection(TreeSet::new));
    assertThat(ranges).containsExactly("V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V09", "V10", "V15", "V16");
    assertThat(all).allSatisfy(e -> assertThat(e.inputs()).as(e.name()).isNotEmpty());
  }

  @TestFactory
  Stream<DynamicTest> everyExampleReportsTheCodeOfItsSectionAndTheOutputShown() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(DOC, StandardCharsets.UTF_8));
    List<Example> examples = examples(lines);
    if (Boolean.getBoolean("verdict.updateErrorsDoc")) {
      rewriteOutputs(lines, examples);
      lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
      examples = examples(lines);
    }
    return examples.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> verify(e)));
  }

  private static void verify(Example e) throws Exception {
    if (e.inputs().stream().anyMatch(b -> "non-root".equals(b.attrs().get("needs")))) {
      Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
          "file permissions do not stop root; " + e.name() + " runs only as another user");
    }
    Run run = run(e);
    Set<String> codes = run.result().diagnostics().stream().map(d -> d.code().id()).collect(Collectors.toCollection(TreeSet::new));
    assertThat(codes).as("codes reported by the example of %s:\n%s", e.name(), run.output()).containsExactly(e.code());
    assertThat(run.output()).as("output shown for %s", e.name()).isEqualTo(e.output().body());
  }

  /** What an example reports, with the scratch directory taken out of file names. */
  private record Run(CheckResult result, String output) {}

  private static Run run(Example e) throws Exception {
    Path dir = Files.createTempDirectory("errors-doc");
    try {
      List<Path> targets = new ArrayList<>();
      Path policies = dir.resolve("policies");
      for (Block b : e.inputs()) {
        if (b.lang().equals("sh")) {
          targets.addAll(shell(dir, b));
        } else {
          Files.createDirectories(policies);
          String file = b.attrs().getOrDefault("file", b.lang().equals("json") ? "data.entities.json" : "policy.verdict");
          Files.writeString(policies.resolve(file), b.body() + "\n", StandardCharsets.UTF_8);
        }
      }
      if (targets.isEmpty()) {
        targets.add(policies);
      }
      CheckResult result = Verdict.check(targets);
      String output = result.render().replace(dir + "/", "").stripTrailing();
      return new Run(result, output.lines().map(String::stripTrailing).collect(Collectors.joining("\n")));
    } finally {
      deleteTree(dir);
    }
  }

  /** Runs the setup lines of {@code b} in {@code dir}; returns the paths its `verdict check` line names. */
  private static List<Path> shell(Path dir, Block b) throws Exception {
    List<String> setup = new ArrayList<>();
    List<Path> targets = new ArrayList<>();
    for (String line : b.body().lines().toList()) {
      Matcher m = CHECK_LINE.matcher(line.strip());
      if (m.matches()) {
        for (String arg : m.group(1).split("\\s+")) {
          targets.add(dir.resolve(arg));
        }
      } else {
        setup.add(line);
      }
    }
    assertThat(targets).as("a `verdict check` line in the sh block at line %d", b.first() + 1).isNotEmpty();
    Process p = new ProcessBuilder("bash", "-euc", String.join("\n", setup))
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("setup at line %d finishes", b.first() + 1).isTrue();
    assertThat(p.exitValue()).as("setup at line %d: %s", b.first() + 1, out).isZero();
    return targets;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        p.toFile().setReadable(true);
        Files.deleteIfExists(p);
      }
    }
  }

  private static void rewriteOutputs(List<String> lines, List<Example> examples) throws Exception {
    // From the last block up, so that earlier line numbers stay valid.
    for (int i = examples.size() - 1; i >= 0; i--) {
      Example e = examples.get(i);
      if (e.inputs().stream().anyMatch(b -> "non-root".equals(b.attrs().get("needs")))
          && "root".equals(System.getProperty("user.name"))) {
        continue;
      }
      String output = run(e).output();
      for (int k = e.output().last() - 1; k > e.output().first(); k--) {
        lines.remove(k);
      }
      lines.addAll(e.output().first() + 1, output.lines().toList());
    }
    Files.writeString(DOC, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  /** Every example of docs/errors.md, in order: input blocks closed by a {@code text} block, per section. */
  private static List<Example> examples(List<String> lines) {
    List<Example> out = new ArrayList<>();
    String code = null;
    List<Block> inputs = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher h = HEADING.matcher(line);
      if (h.matches() || line.startsWith("# ")) {
        code = h.matches() ? h.group(1) : null;
        inputs.clear();
        continue;
      }
      if (!line.startsWith("```")) {
        continue;
      }
      int first = i;
      String[] info = line.substring(3).strip().split("\\s+");
      List<String> body = new ArrayList<>();
      for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        body.add(lines.get(i));
      }
      Map<String, String> attrs = new LinkedHashMap<>();
      for (int k = 1; k < info.length; k++) {
        int eq = info[k].indexOf('=');
        if (eq > 0) {
          attrs.put(info[k].substring(0, eq), info[k].substring(eq + 1));
        }
      }
      Block block = new Block(info[0], attrs, String.join("\n", body), first, i);
      if (code == null) {
        continue;
      }
      if (block.lang().equals("text")) {
        if (!inputs.isEmpty()) {
          out.add(new Example(code, List.copyOf(inputs), block));
        }
        inputs.clear();
      } else if (Set.of("verdict", "json", "sh").contains(block.lang())) {
        inputs.add(block);
      }
    }
    return out;
  }
}

package dev.verdict.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.eval.Trace;
import dev.verdict.lang.source.DiagnosticJson;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.source.Workspace;
import dev.verdict.lang.testing.Coverage;
import dev.verdict.lang.testing.JUnitXml;
import dev.verdict.lang.testing.TestReport;
import dev.verdict.lang.testing.TestResult;
import dev.verdict.lang.testing.TestRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict test DIR|FILE [--run REGEX] [--format text|json] [--junit FILE] [--coverage]
 * [--watch]}: run the policy set's test blocks (every set's, for a workspace directory such as
 * {@code policies/}). A file runs the tests written in that file, against its whole set.
 */
@Command(name = "test", description = "Run the `test` blocks of a policy set, of one file, or those whose name matches --run.")
final class TestCommand implements Callable<Integer> {
  enum Format { text, json }

  @Parameters(index = "0", paramLabel = "DIR|FILE",
      description = "A policy set directory, a workspace of sets (like policies/), or one .verdict file of a set.")
  Path path;

  @Option(names = "--run", paramLabel = "REGEX", description = "Run only the tests whose name REGEX matches (anywhere in the name).")
  Pattern run;

  @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES}.")
  Format format;

  @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML to FILE.")
  Path junit;

  @Option(names = "--coverage", description = "Report rules, field rules, routes and limits no test exercised.")
  boolean coverage;

  @Option(names = "--verbose", description = "List passing tests too.")
  boolean verbose;

  @Option(names = "--watch", description = "Run again whenever a file of the set changes, until interrupted (Ctrl-C).")
  boolean watch;

  /** How often --watch looks at the files; also the quiet time a change must be followed by. */
  @Option(names = "--watch-interval-ms", hidden = true, defaultValue = "300")
  long watchIntervalMs;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(path)) {
      spec.commandLine().getErr().println("error: `" + path + "` does not exist");
      return VerdictCommand.USAGE;
    }
    if (Files.isRegularFile(path) && !path.getFileName().toString().endsWith(SourceReader.POLICY_EXTENSION)) {
      spec.commandLine().getErr().println("error: `" + path + "` is not a policy file; name a `"
          + SourceReader.POLICY_EXTENSION + "` file or a set directory");
      return VerdictCommand.USAGE;
    }
    List<Path> sets = Files.isRegularFile(path) ? List.of(SetRoot.of(path)) : Workspace.sets(path);
    int code = runOnce(sets);
    if (!watch) {
      return code;
    }
    PrintWriter err = spec.commandLine().getErr();
    FileWatch files = new FileWatch(sets);
    err.println("watching " + String.join(", ", sets.stream().map(Path::toString).toList())
        + " for changes; Ctrl-C stops");
    err.flush();
    try {
      while (true) {
        files.awaitChange(watchIntervalMs);
        err.println("changed: running the tests again");
        err.flush();
        code = runOnce(sets);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return code;
    }
  }

  /** One run over {@code sets}: prints the report and returns the exit code. */
  private int runOnce(List<Path> sets) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<TestResult> results = new ArrayList<>();
    List<Coverage.Item> items = new ArrayList<>();
    for (Path set : sets) {
      LoadResult loaded = Verdict.load(set);
      if (!loaded.ok()) {
        // A set that does not load is reported, counts as one failed test, and the other sets
        // of a workspace still run.
        if (format == Format.json) {
          ObjectNode node = JsonNodeFactory.instance.objectNode();
          node.put("ok", false);
          node.put("set", set.toString());
          node.set("diagnostics", DiagnosticJson.toJson(loaded.check().diagnostics()));
          out.println(node.toPrettyString());
        } else {
          out.print(loaded.check().render());
          out.println(Summary.of(loaded.check()));
        }
        out.flush();
        results.add(new TestResult("policy set " + set + " loads", Span.ofFile(set.toString()),
            List.of("the policy set does not load: " + Summary.of(loaded.check()).replaceFirst("^error: ", "")),
            Optional.empty(), 0));
        continue;
      }
      TestReport one = TestRunner.run(loaded.policySet().orElseThrow(), selected());
      results.addAll(one.results());
      items.addAll(one.coverage().items());
    }
    TestReport report = new TestReport(results, new Coverage(items));
    if (report.results().isEmpty() && (run != null || Files.isRegularFile(path))) {
      // A selection that names nothing would otherwise pass quietly, e.g. a misspelt --run.
      spec.commandLine().getErr().println("error: no test in `" + path + "`"
          + (run == null ? "" : " has a name matching `" + run + "`"));
      spec.commandLine().getErr().flush();
      return VerdictCommand.USAGE;
    }
    if (format == Format.json) {
      out.println(json(report).toPrettyString());
    } else {
      text(report, out);
    }
    out.flush();
    if (junit != null) {
      try (OutputStream os = Files.newOutputStream(junit)) {
        JUnitXml.write(report, path.toString(), os);
      }
    }
    return report.passed() ? VerdictCommand.OK : VerdictCommand.POLICY_ERRORS;
  }

  private Predicate<Decl.TestDecl> selected() {
    Predicate<Decl.TestDecl> byName = run == null ? t -> true : t -> run.matcher(t.name().value()).find();
    if (!Files.isRegularFile(path)) {
      return byName;
    }
    Path file = path.toAbsolutePath().normalize();
    return byName.and(t -> Path.of(t.span().file()).toAbsolutePath().normalize().equals(file));
  }

  private void text(TestReport report, PrintWriter out) {
    for (TestResult r : report.results()) {
      if (r.passed()) {
        if (verbose) {
          out.println("ok    " + r.span().location() + "  " + r.name());
        }
        continue;
      }
      out.println("FAIL  " + r.span().location() + "  " + r.name());
      for (String f : r.failures()) {
        out.println("      " + f);
      }
      r.decision().flatMap(d -> d.trace()).ifPresent(t -> {
        out.println("      trace:");
        for (Trace.Step s : t.steps()) {
          out.println("        " + s.kind() + " " + s.id() + " (" + s.span().location() + "): "
              + s.status().name().toLowerCase(Locale.ROOT) + " - " + s.detail());
        }
      });
    }
    if (coverage) {
      Coverage c = report.coverage();
      out.printf(Locale.ROOT, "coverage: %d of %d rules, field rules, routes and limits exercised (%.1f%%)%n",
          c.covered(), c.items().size(), c.percent());
      for (Coverage.Item i : c.missed()) {
        out.println("  not exercised: " + i.kind() + " " + i.id() + " at " + i.location());
      }
    }
    long failed = report.failed();
    out.println((failed == 0 ? "ok: " : "FAILED: ") + report.results().size() + " tests, " + failed + " failed");
  }

  /** The report for tools: no timings, so that two runs of the same tests print the same. */
  private ObjectNode json(TestReport report) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("ok", report.passed());
    node.put("tests", report.results().size());
    node.put("failed", report.failed());
    ArrayNode results = node.putArray("results");
    for (TestResult r : report.results()) {
      ObjectNode one = results.addObject();
      one.put("name", r.name());
      one.put("file", r.span().file());
      one.put("line", r.span().line());
      one.put("column", r.span().column());
      one.put("passed", r.passed());
      ArrayNode failures = one.putArray("failures");
      r.failures().forEach(failures::add);
    }
    if (coverage) {
      Coverage c = report.coverage();
      ObjectNode cov = node.putObject("coverage");
      cov.put("exercised", c.covered());
      cov.put("total", c.items().size());
      ArrayNode missed = cov.putArray("notExercised");
      for (Coverage.Item i : c.missed()) {
        missed.addObject().put("kind", i.kind()).put("id", i.id()).put("location", i.location());
      }
    }
    return node;
  }
}

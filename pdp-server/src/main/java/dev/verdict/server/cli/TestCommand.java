package dev.verdict.server.cli;

import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Trace;
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
import dev.verdict.lang.source.Workspace;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict test DIR [--junit FILE] [--coverage]}: run the policy set's test blocks (every
 * set's, for a workspace directory such as {@code policies/}).
 */
@Command(name = "test", description = "Run the `test` blocks of a policy set.")
final class TestCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The policy set directory.")
  Path dir;

  @Option(names = "--junit", paramLabel = "FILE", description = "Also write the results as JUnit XML to FILE.")
  Path junit;

  @Option(names = "--coverage", description = "Report rules, field rules, routes and limits no test exercised.")
  boolean coverage;

  @Option(names = "--verbose", description = "List passing tests too.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.exists(dir)) {
      spec.commandLine().getErr().println("error: `" + dir + "` does not exist");
      return VerdictCommand.USAGE;
    }
    // A workspace (a directory of sets, like policies/) runs every set's tests. A set that
    // does not load is reported, counts as one failed test, and the other sets still run.
    List<TestResult> results = new ArrayList<>();
    List<Coverage.Item> items = new ArrayList<>();
    for (Path set : Workspace.sets(dir)) {
      LoadResult loaded = Verdict.load(set);
      if (!loaded.ok()) {
        out.print(loaded.check().render());
        out.println(Summary.of(loaded.check()));
        results.add(new TestResult("policy set " + set + " loads", Span.ofFile(set.toString()),
            List.of("the policy set does not load: " + Summary.of(loaded.check()).replaceFirst("^error: ", "")),
            Optional.empty(), 0));
        continue;
      }
      TestReport one = TestRunner.run(loaded.policySet().orElseThrow());
      results.addAll(one.results());
      items.addAll(one.coverage().items());
    }
    TestReport report = new TestReport(results, new Coverage(items));
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
    if (junit != null) {
      try (OutputStream os = Files.newOutputStream(junit)) {
        JUnitXml.write(report, dir.toString(), os);
      }
    }
    long failed = report.failed();
    out.println((failed == 0 ? "ok: " : "FAILED: ") + report.results().size() + " tests, " + failed + " failed");
    return failed == 0 ? VerdictCommand.OK : VerdictCommand.POLICY_ERRORS;
  }
}

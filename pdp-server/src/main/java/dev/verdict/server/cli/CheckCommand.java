package dev.verdict.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.source.DiagnosticJson;
import dev.verdict.lang.source.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict check DIR|FILE… [--format text|json]}: parse and check policy sets. The
 * paths given form one set, except a single workspace directory (see {@link Workspace}),
 * whose sets are checked one by one.
 */
@Command(name = "check", description = "Check policy files and entity data for errors.")
final class CheckCommand implements Callable<Integer> {
  enum Format { text, json }

  @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Policy directories or files.")
  List<Path> paths;

  @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES}.")
  Format format;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<List<Path>> sets = new ArrayList<>();
    if (paths.size() == 1) {
      Workspace.sets(paths.get(0)).forEach(s -> sets.add(List.of(s)));
    } else {
      sets.add(paths);
    }
    List<CheckResult> results = new ArrayList<>();
    for (List<Path> set : sets) {
      results.add(Verdict.check(set));
    }
    var out = spec.commandLine().getOut();
    boolean errors = results.stream().anyMatch(CheckResult::hasErrors);
    if (format == Format.json) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("ok", !errors);
      node.put("files", results.stream().mapToLong(Summary::fileCount).sum());
      node.put("errors", results.stream().mapToLong(CheckResult::errorCount).sum());
      node.put("warnings", results.stream().mapToLong(CheckResult::warningCount).sum());
      ArrayNode diags = node.putArray("diagnostics");
      results.forEach(r -> diags.addAll(DiagnosticJson.toJson(r.diagnostics())));
      if (sets.size() > 1) {
        ArrayNode names = node.putArray("sets");
        sets.forEach(s -> names.add(s.get(0).toString()));
      }
      out.println(node.toPrettyString());
    } else {
      for (CheckResult r : results) {
        out.print(r.render());
      }
      out.println(sets.size() > 1 ? Summary.ofSets(results) : Summary.of(results.get(0)));
    }
    if (paths.stream().anyMatch(p -> !Files.exists(p))) {
      return VerdictCommand.USAGE; // a path that is not there is a usage error, not a policy error
    }
    return errors ? VerdictCommand.POLICY_ERRORS : VerdictCommand.OK;
  }
}

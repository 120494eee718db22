package dev.verdict.server.cli;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.source.DiagnosticJson;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verdict check DIR|FILE… [--format text|json]}: parse and check policy sets. */
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
    CheckResult result = Verdict.check(paths);
    var out = spec.commandLine().getOut();
    if (format == Format.json) {
      var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      node.put("ok", !result.hasErrors());
      node.put("files", result.files().size());
      node.put("errors", result.errorCount());
      node.put("warnings", result.warningCount());
      node.set("diagnostics", DiagnosticJson.toJson(result.diagnostics()));
      out.println(node.toPrettyString());
    } else {
      out.print(result.render());
      out.println(Summary.of(result));
    }
    if (paths.stream().anyMatch(p -> !java.nio.file.Files.exists(p))) {
      return VerdictCommand.USAGE; // a path that is not there is a usage error, not a policy error
    }
    return result.hasErrors() ? VerdictCommand.POLICY_ERRORS : VerdictCommand.OK;
  }
}

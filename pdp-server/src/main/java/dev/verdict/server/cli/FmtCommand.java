package dev.verdict.server.cli;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.verdict.lang.format.Formatter;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.DiagnosticRenderer;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict fmt [--check|--diff] DIR|FILE…}: rewrites policy files in the canonical layout.
 * Standard output lists the files changed (or, with {@code --check}, the files that would
 * be; with {@code --diff}, a unified diff of each change); diagnostics go to standard error.
 * A file with syntax errors is never touched. Exit codes: 0 done (or all formatted), 1 a file
 * has errors or, with {@code --check} or {@code --diff}, is not formatted, 2 a path does not
 * exist.
 */
@Command(name = "fmt", description = "Rewrite policy files in the canonical layout.")
final class FmtCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Policy directories or files.")
  List<Path> paths;

  @Option(names = "--check", description = "Change nothing; list the files that are not formatted and exit 1 if any.")
  boolean check;

  @Option(names = "--diff", description = "Change nothing; print a unified diff of what would change and exit 1 if anything would.")
  boolean diff;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SourceSet sources = new SourceReader().read(paths);
    DiagnosticRenderer renderer = DiagnosticRenderer.of(sources.byName());
    err.print(renderer.render(sources.diagnostics()));
    if (paths.stream().anyMatch(p -> !Files.exists(p))) {
      return VerdictCommand.USAGE;
    }
    boolean errors = sources.diagnostics().stream().anyMatch(Diagnostic::isError);
    List<String> unformatted = new ArrayList<>();
    for (Source source : sources.policies()) {
      ParseResult parsed = Parser.parse(source);
      if (parsed.hasErrors()) {
        err.print(renderer.render(parsed.diagnostics()));
        errors = true;
        continue;
      }
      Path file = Path.of(source.name());
      byte[] formatted = Formatter.format(parsed.file()).getBytes(StandardCharsets.UTF_8);
      try {
        if (Arrays.equals(Files.readAllBytes(file), formatted)) {
          continue;
        }
        if (diff) {
          out.print(unifiedDiff(source.name(), Files.readString(file, StandardCharsets.UTF_8),
              new String(formatted, StandardCharsets.UTF_8)));
        } else if (!check) {
          replace(file, formatted);
        }
      } catch (IOException e) {
        err.println("error: cannot write `" + source.name() + "`: " + reason(e));
        errors = true;
        continue;
      }
      unformatted.add(source.name());
      if (!diff) {
        out.println(source.name());
      }
    }
    boolean dryRun = check || diff;
    if (dryRun && !unformatted.isEmpty()) {
      err.println(Summary.plural(unformatted.size(), "file") + " not formatted; run `verdict fmt` to fix");
    }
    return errors || (dryRun && !unformatted.isEmpty()) ? VerdictCommand.POLICY_ERRORS : VerdictCommand.OK;
  }

  /**
   * Replaces the file's content in one step, so that a crash or a concurrent reader never
   * sees half a file: write a temporary file beside it, then move it over the original.
   */
  private static void replace(Path file, byte[] content) throws IOException {
    Path target = file.toRealPath(); // write through a symbolic link, not over it
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".fmt.tmp");
    try {
      Files.write(tmp, content);
      try {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the temporary file's default permissions stand
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The change as a unified diff with three lines of context, as `diff -u` and git print it. */
  static String unifiedDiff(String name, String before, String after) {
    List<String> old = before.lines().toList();
    List<String> now = after.lines().toList();
    List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(name, name + " (formatted)", old, DiffUtils.diff(old, now), 3);
    StringBuilder text = new StringBuilder();
    lines.forEach(l -> text.append(l).append('\n'));
    return text.toString();
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }
}

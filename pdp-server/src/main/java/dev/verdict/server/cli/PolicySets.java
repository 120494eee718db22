package dev.verdict.server.cli;

import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.engine.ReloadResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The policy set a verb works on ({@code eval}, {@code bench}, {@code plan}), loaded as the
 * server loads one; when it cannot be, what is wrong has been printed and {@link NotLoaded}
 * carries the exit code.
 */
final class PolicySets {
  private PolicySets() {}

  /** The set could not be loaded; the reason is already printed. */
  static final class NotLoaded extends Exception {
    final int exitCode;

    NotLoaded(int exitCode) {
      super(null, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /** An engine serving the set in {@code dir}: its diagnostics on {@code out} when it has errors. */
  static Engine load(Path dir, PrintWriter out, PrintWriter err) throws NotLoaded {
    if (!Files.exists(dir)) {
      err.println("error: `" + dir + "` does not exist");
      throw new NotLoaded(VerdictCommand.USAGE);
    }
    Engine engine = Engine.builder(PolicySource.directory(dir)).buildUnloaded();
    ReloadResult loaded = engine.reload();
    if (!loaded.ok()) {
      out.print(loaded.render());
      out.println(Summary.of(loaded));
      throw new NotLoaded(VerdictCommand.POLICY_ERRORS);
    }
    return engine;
  }
}

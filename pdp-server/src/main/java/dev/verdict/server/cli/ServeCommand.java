package dev.verdict.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code verdict serve}: the PDP server. It arrives with the server issue. */
@Command(name = "serve", description = "Serve decisions over HTTP (not yet available in this build).")
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println(
        "verdict serve is not yet available in this build; `verdict check` and `verdict fmt` are.");
    return VerdictCommand.USAGE;
  }
}

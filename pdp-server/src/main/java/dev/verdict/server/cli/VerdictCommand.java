package dev.verdict.server.cli;

import dev.verdict.lang.check.Suggestions;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code verdict} command. Exit codes, for every verb: 0 ok, 1 the policies have errors
 * (or tests failed), 2 the command was used wrongly (unknown option, missing path).
 */
@Command(
    name = "verdict",
    // Every verb inherits -h/--help and -V/--version; help wins over missing parameters.
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Verdict policy decision point: check, format, test and serve policies.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:policy errors or failed tests", "2:usage error"})
public final class VerdictCommand implements Runnable {
  public static final int OK = 0;
  public static final int POLICY_ERRORS = 1;
  public static final int USAGE = 2;

  /**
   * The verbs, in the order help lists them. Not the annotation's {@code subcommands}: picocli
   * would build and initialise every verb's model on each run (a fifth of a cold
   * {@code verdict check}'s start-up), when a run needs only the one it names.
   */
  private static final List<Class<?>> VERBS = List.of(CheckCommand.class, FmtCommand.class, TestCommand.class,
      EvalCommand.class, PlanCommand.class, BenchCommand.class, ServeCommand.class, HashKeyCommand.class,
      DevTokenCommand.class, BundleCommand.class, EntitiesCommand.class, CommandLine.HelpCommand.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required, e.g. `verdict check policies/`");
  }

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the CLI with the given streams; used by {@link #main} and by the tests. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new VerdictCommand());
    Class<?> verb = verb(args);
    if (verb != null && verb != CommandLine.HelpCommand.class) {
      cl.addSubcommand(verb);
    } else {
      // help, no verb or an unknown one: every verb, to list them or suggest one
      VERBS.forEach(cl::addSubcommand);
    }
    cl.setOut(out);
    cl.setErr(err);
    String unknown = unknownVerb(cl, args);
    if (unknown != null) {
      // picocli would print the top-level help and exit 0 for `verdict plan --help`.
      List<String> verbs = List.copyOf(cl.getSubcommands().keySet());
      err.println("error: unknown command `" + unknown + "`; the commands are " + Suggestions.list(verbs, Integer.MAX_VALUE)
          + Suggestions.didYouMean(unknown, verbs).map(s -> "\nhelp: " + s).orElse(""));
      err.println("Run `verdict --help` for usage.");
      err.flush();
      return USAGE;
    }
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      // Never a stack trace to the user: the command failed in a way we did not foresee.
      commandLine.getErr().println("error: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
      return POLICY_ERRORS;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The verb the first argument that is not an option names; null when there is none or it names none. */
  private static Class<?> verb(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        for (Class<?> v : VERBS) {
          if (v.getAnnotation(Command.class).name().equals(arg)) {
            return v;
          }
        }
        return null;
      }
    }
    return null;
  }

  /** The first argument that is not an option, when it names no verb; null otherwise. */
  private static String unknownVerb(CommandLine cl, String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return cl.getSubcommands().containsKey(arg) ? null : arg;
      }
    }
    return null;
  }
}

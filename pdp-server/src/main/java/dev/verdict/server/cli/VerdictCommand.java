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
   * The verbs, in the order help lists them. Only the one a command line names is built: picocli
   * reflects over every option of every verb it is given, and for {@code serve} that was a third
   * of the CPU before the first answer (docs/benchmarks.md, "Fourth pass").
   */
  private static final List<Class<?>> VERBS = List.of(CheckCommand.class, FmtCommand.class, TestCommand.class,
      EvalCommand.class, PlanCommand.class, BenchCommand.class, ServeCommand.class, HashKeyCommand.class,
      DevTokenCommand.class, BundleCommand.class, EntitiesCommand.class, CommandLine.HelpCommand.class);

  /**
   * picocli looks up its converters for java.sql and java.time types by reflection, for every
   * command it builds, on every start; no option of ours has such a type (they are Strings, Paths,
   * enums, numbers and a Pattern), so they are left out. An operator's own setting wins.
   */
  static final String CONVERTERS_EXCLUDES = "picocli.converters.excludes";
  static final String UNUSED_CONVERTERS = "java\\.sql\\..*,java\\.time\\..*";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required, e.g. `verdict check policies/`");
  }

  public static void main(String[] args) {
    if ("serve".equals(verb(args))) {
      dev.verdict.server.boot.StartWarmUp.begin(args);
    }
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the CLI with the given streams; used by {@link #main} and by the tests. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    List<String> verbs = verbNames();
    String verb = verb(args);
    if (verb != null && !verbs.contains(verb)) {
      // picocli would print the top-level help and exit 0 for `verdict plan --help`.
      err.println("error: unknown command `" + verb + "`; the commands are " + Suggestions.list(verbs, Integer.MAX_VALUE)
          + Suggestions.didYouMean(verb, verbs).map(s -> "\nhelp: " + s).orElse(""));
      err.println("Run `verdict --help` for usage.");
      err.flush();
      return USAGE;
    }
    CommandLine cl = commandLine(args);
    cl.setOut(out);
    cl.setErr(err);
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

  /**
   * The command for {@code args}, with only the verb they name: every verb when they name none
   * (the top-level help) or {@code help} (which shows any verb's).
   */
  static CommandLine commandLine(String... args) {
    if (System.getProperty(CONVERTERS_EXCLUDES) == null) {
      System.setProperty(CONVERTERS_EXCLUDES, UNUSED_CONVERTERS);
    }
    String verb = verb(args);
    boolean all = verb == null || verb.equals("help");
    CommandLine cl = new CommandLine(new VerdictCommand());
    for (Class<?> v : VERBS) {
      if (all || name(v).equals(verb)) {
        cl.addSubcommand(v);
      }
    }
    return cl;
  }

  private static List<String> verbNames() {
    return VERBS.stream().map(VerdictCommand::name).toList();
  }

  private static String name(Class<?> verb) {
    return verb.getAnnotation(Command.class).name();
  }

  /** The first argument that is not an option (the verb, or a mistyped one); null when there is none. */
  private static String verb(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return null;
  }
}

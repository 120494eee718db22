package dev.verdict.server.boot;

import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.server.metrics.ServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Work {@code serve} can do before it knows its configuration, on a thread of its own while the
 * main thread parses the command line and reads the configuration (a third of the CPU before the
 * first answer): the metrics registry's and the decision cache's classes initialised on throwaway
 * instances, and the policy set compiled for the engine's first load ({@link Engine#prepare}),
 * which uses it only if its own read finds the same files (docs/benchmarks.md, "Fourth pass",
 * "Fifth pass"). Where the command line and the environment do not name the set (a {@code
 * --config} file may), a tiny built-in set is compiled instead, so that at least the compiler's
 * classes are initialised and the grammar deserialised when the main thread needs them.
 *
 * <p>{@link VerdictServer#start} waits for its first phase before it starts Vert.x, and for all
 * of it before it builds the engine, so no class is ever initialised by two threads at once
 * ({@link #awaitShared}). A warm-up that fails changes nothing but the time.
 */
public final class StartWarmUp {
  /** Small, but with the declarations a set usually has: a schema, roles, a policy with fields. */
  static final String POLICY = """
      entity User {
        tenant: String
      }
      entity Account {
        owner: String
        tenant: String
        balance: Number
        frozen: Bool
      }
      role customer, support
      role owner on Account when resource.owner == principal.id
      policy accounts on Account {
        @id("tenant") @reason("another tenant's account")
        forbid * unless resource.tenant == principal.tenant
        @id("owner-reads")
        permit read, transfer to owner when not resource.frozen and resource.balance > 0
        permit read to support
        fields read { owner: partial(2) }
      }
      """;

  private static final String FLAG = "--policies";

  /** The warm-up begun in this process, if any. */
  private static volatile StartWarmUp running;

  private final Thread thread;
  /** Counted down when the metrics' and the cache's classes are initialised (the first phase). */
  private final CountDownLatch shared = new CountDownLatch(1);

  private StartWarmUp(Optional<Path> policies) {
    this.thread = new Thread(() -> run(policies, shared::countDown), "verdict-warm-up");
    thread.setDaemon(true);
  }

  /**
   * Starts the warm-up; the process's entry point calls it for {@code serve}, with the command
   * line's arguments.
   */
  public static void begin(String[] args) {
    StartWarmUp w = new StartWarmUp(policies(args, System.getenv()));
    running = w;
    w.thread.start();
  }

  /**
   * Returns when the warm-up's first phase is done: the metrics registry's and the decision
   * cache's classes initialised, which Vert.x's start shares with it (Micrometer, and Netty's
   * HTTP method names through the meters). After this the warm-up only compiles the policy set
   * (the language, ANTLR, Jackson's tree model), none of which Vert.x's build touches, so Vert.x
   * may be built meanwhile without a class being initialised by two threads at once. At once
   * when no warm-up was begun.
   */
  static void awaitShared() {
    StartWarmUp w = running;
    if (w != null) {
      awaitUninterruptibly(() -> w.shared.await());
    }
  }

  /** Returns when a warm-up begun in this process has finished (at once when none was). */
  static void await() {
    StartWarmUp w = running;
    if (w != null) {
      awaitUninterruptibly(w.thread::join);
    }
  }

  private interface Wait {
    void run() throws InterruptedException;
  }

  private static void awaitUninterruptibly(Wait wait) {
    try {
      wait.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The policy directory {@code serve} will most likely load, as {@link ConfigLoader} resolves it
   * from the flag, then {@code VERDICT_POLICIES}; empty when neither names it (the YAML file or
   * the default then decides, which is only known once the configuration is read). A wrong
   * guess costs time only: the engine compares what it reads with what was compiled.
   */
  static Optional<Path> policies(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(FLAG) && i + 1 < args.length) {
        return Optional.of(Path.of(args[i + 1]));
      }
      if (args[i].startsWith(FLAG + "=")) {
        return Optional.of(Path.of(args[i].substring(FLAG.length() + 1)));
      }
    }
    String fromEnv = env.get(ConfigLoader.envName("policies"));
    return fromEnv == null || fromEnv.isEmpty() ? Optional.empty() : Optional.of(Path.of(fromEnv));
  }

  /** {@link #run(Optional, Runnable)} with the built-in set (a test keeps it valid as the language changes). */
  static boolean run() {
    return run(Optional.empty(), () -> { });
  }

  /**
   * True when the set compiled: the directory's, when it is one, else the built-in set.
   *
   * @param sharedDone told when the classes Vert.x's start shares are initialised, failed or not
   */
  static boolean run(Optional<Path> policies, Runnable sharedDone) {
    try {
      PrometheusMeterRegistry registry = ServerMetrics.newRegistry();
      new ServerMetrics(registry);
      registry.close();
      DecisionCache.local(1024 * 1024);
    } catch (RuntimeException | LinkageError e) {
      // Only time was to be saved; the main thread meets the same failure where it has a message.
    } finally {
      sharedDone.run();
    }
    try {
      Optional<Path> directory = policies.filter(Files::isDirectory);
      if (directory.isPresent()) {
        return Engine.prepare(PolicySource.directory(directory.get()));
      }
      return Engine.builder(PolicySource.files(Map.of("warm-up.verdict", POLICY))).buildUnloaded().reload().ok();
    } catch (RuntimeException | LinkageError e) {
      // Only time was to be saved; the main thread meets the same failure where it has a message.
      return false;
    }
  }
}

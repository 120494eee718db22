package dev.verdict.server.boot;

import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.server.metrics.ServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Work {@code serve} can do before it knows its configuration, on two threads of their own while
 * the main thread parses the command line and reads the configuration (a third of the CPU before
 * the first answer; docs/benchmarks.md, "Fourth pass", "Fifth pass"):
 *
 * <ul>
 *   <li>{@code verdict-warm-up} compiles the policy set for the engine's first load ({@link
 *       Engine#prepare}), which uses it only if its own read finds the same files; where the
 *       command line and the environment do not name the set (a {@code --config} file may), a
 *       tiny built-in set instead, so that the compiler's classes are initialised and the grammar
 *       deserialised when the main thread needs them. Then the decision cache's classes and the
 *       HTTP API's JSON mapper (Jackson's set-up).
 *   <li>{@code verdict-warm-up-vertx} initialises the metrics registry's and Vert.x's classes on
 *       throwaway instances, so that the real Vert.x, which needs the configuration, builds in a
 *       fraction of the time.
 * </ul>
 *
 * <p>The two touch disjoint libraries (the language, ANTLR, Jackson's tree model and Caffeine;
 * Micrometer, Netty and Vert.x), and {@link VerdictServer#start} waits for both before it starts
 * anything, so no class is ever initialised by two threads at once. A warm-up that fails changes
 * nothing but the time.
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


  /** The warm-up threads begun in this process, if any. */
  private static volatile List<Thread> running = List.of();

  private StartWarmUp() {}

  /**
   * Starts the warm-up; the process's entry point calls it for {@code serve}, with the command
   * line's arguments.
   */
  public static void begin(String[] args) {
    Optional<Path> policies = policies(args, System.getenv());
    boolean ioUring = mayTryIoUring(args, System.getenv());
    Thread compile = new Thread(() -> run(policies), "verdict-warm-up");
    Thread vertx = new Thread(() -> vertx(ioUring), "verdict-warm-up-vertx");
    running = List.of(compile, vertx);
    for (Thread t : running) {
      t.setDaemon(true);
      t.start();
    }
  }

  /** Returns when the warm-up begun in this process has finished (at once when none was). */
  static void await() {
    try {
      for (Thread t : running) {
        t.join();
      }
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
    return flagOrEnv("policies", args, env).map(Path::of);
  }

  /**
   * False when the command line or the environment sets {@code transport} to {@code nio}: then
   * nothing of io_uring is touched, not even its probe. (A YAML file saying {@code nio} is only
   * read later; the probe it then cannot prevent is the one {@code auto} would run.)
   */
  static boolean mayTryIoUring(String[] args, Map<String, String> env) {
    return !flagOrEnv("transport", args, env).map(t -> t.equalsIgnoreCase(IoTransport.NIO.word())).orElse(false);
  }

  /** A setting's value from its flag, else its environment variable, as {@link ConfigLoader} ranks them. */
  private static Optional<String> flagOrEnv(String setting, String[] args, Map<String, String> env) {
    String flag = "--" + setting;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(flag) && i + 1 < args.length) {
        return Optional.of(args[i + 1]);
      }
      if (args[i].startsWith(flag + "=")) {
        return Optional.of(args[i].substring(flag.length() + 1));
      }
    }
    String fromEnv = env.get(ConfigLoader.envName(setting));
    return fromEnv == null || fromEnv.isEmpty() ? Optional.empty() : Optional.of(fromEnv);
  }

  /** {@link #run(Optional)} with the built-in set (a test keeps it valid as the language changes). */
  static boolean run() {
    return run(Optional.empty());
  }

  /** True when the set compiled: the directory's, when it is one, else the built-in set. */
  static boolean run(Optional<Path> policies) {
    try {
      Optional<Path> directory = policies.filter(Files::isDirectory);
      boolean ok = directory.isPresent() ? Engine.prepare(PolicySource.directory(directory.get()))
          : Engine.builder(PolicySource.files(Map.of("warm-up.verdict", POLICY))).buildUnloaded().reload().ok();
      DecisionCache.local(1024 * 1024);
      // the HTTP API's JSON mapper: Jackson's, like the set's JSON files
      Class.forName(dev.verdict.server.http.JsonCodec.class.getName(), true, StartWarmUp.class.getClassLoader());
      return ok;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Only time was to be saved; the main thread meets the same failure where it has a message.
      return false;
    }
  }

  /**
   * True when a throwaway registry with the server's meters and a throwaway Vert.x were made and
   * closed. The Vert.x has one event loop and no metrics (those would bind the JVM's meters to
   * a registry about to close); its close is awaited, so nothing of it runs on once this returns.
   * With {@code ioUring}, Netty's io_uring library is loaded and probed here (tens of
   * milliseconds) and the throwaway runs on it when it can, as the real one most likely will.
   */
  static boolean vertx(boolean ioUring) {
    try {
      PrometheusMeterRegistry registry = ServerMetrics.newRegistry();
      new ServerMetrics(registry);
      registry.close();
      Transport uring = ioUring ? Transport.IO_URING : null;
      Transport transport = uring != null && uring.available() ? uring : Transport.NIO;
      Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1)).withTransport(transport).build().close()
          .await(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception | LinkageError e) {
      // Only time was to be saved; the main thread meets the same failure where it has a message.
      return false;
    }
  }
}

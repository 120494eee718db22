package dev.verdict.server.boot;

import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.server.metrics.ServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * Work {@code serve} can do before it knows its configuration, on a thread of its own while the
 * main thread parses the command line and reads the configuration (a third of the CPU before the
 * first answer): the metrics registry's, the decision cache's and the policy compiler's classes
 * initialised and run once, on throwaway instances and a tiny built-in policy set. The main thread
 * then finds them ready (docs/benchmarks.md, "Fourth pass").
 *
 * <p>{@link VerdictServer#start} waits for it before it starts anything, so no class is ever
 * initialised by both threads at once. A warm-up that fails changes nothing but the time.
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

  private static volatile Thread running;

  private StartWarmUp() {}

  /** Starts the warm-up; the process's entry point calls it for {@code serve}. */
  public static void begin() {
    Thread t = new Thread(StartWarmUp::run, "verdict-warm-up");
    t.setDaemon(true);
    running = t;
    t.start();
  }

  /** Returns when a warm-up begun in this process has finished (at once when none was). */
  static void await() {
    Thread t = running;
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** True when the built-in set compiled (a test keeps it valid as the language changes). */
  static boolean run() {
    try {
      PrometheusMeterRegistry registry = ServerMetrics.newRegistry();
      new ServerMetrics(registry);
      registry.close();
      DecisionCache.local(1024 * 1024);
      return Engine.builder(PolicySource.files(Map.of("warm-up.verdict", POLICY))).buildUnloaded().reload().ok();
    } catch (RuntimeException | LinkageError e) {
      // Only time was to be saved; the main thread meets the same failure where it has a message.
      return false;
    }
  }
}

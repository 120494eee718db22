package dev.verdict.server.cluster;

import com.hazelcast.internal.util.ConcurrencyUtil;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the continuations of Hazelcast's asynchronous calls run.
 *
 * <p>Hazelcast completes the futures of its asynchronous API ({@code IMap.getAsync},
 * {@code submitToKey}, and the stages it chains inside them) on its default asynchronous
 * executor: the JDK's common pool, or, where that pool has a single worker (any machine with two
 * cores), <em>a new thread per callback</em>; three thread starts per budget step were counted
 * here. {@link #install} replaces that default with a few long-lived threads. Running the
 * callbacks where the answer arrives instead ({@code CALLER_RUNS}) is not an option: some of
 * Hazelcast's own callbacks make remote calls, which its response threads refuse, and members
 * fail to start.
 *
 * <p>{@link #handedBack} then gives each answer of ours to the caller's Vert.x context, or to
 * these threads for a caller outside Vert.x: whatever the caller does next (decide, consume the
 * next budget) never runs on a Hazelcast partition or response thread, which must not call
 * into other partitions.
 *
 * <p>The queue is bounded. Pending callbacks are bounded already by the requests in flight
 * (each waits for at most a few), so a full queue means something is badly wrong; a callback
 * that finds it full runs on a thread of its own, as Hazelcast's default would, and is counted
 * ({@link #overflowed}), rather than being dropped (which would leave a future that never
 * completes inside Hazelcast).
 */
public final class ClusterCallbacks {
  static final String THREAD_PREFIX = "verdict-cluster-callback-";
  static final int QUEUE_CAPACITY = 16_384;
  /**
   * A callback only completes a future or hands an answer on; a few more threads than cores keep
   * one that blocks (Hazelcast's own, which we do not control) from holding up the others.
   */
  private static final int THREADS = Math.max(4, Runtime.getRuntime().availableProcessors());
  private static final LongAdder OVERFLOWED = new LongAdder();
  private static final ThreadPoolExecutor POOL = pool();

  private ClusterCallbacks() {}

  /** A thread of this pool: an answer that arrives on one needs no further hand-off. */
  private static final class CallbackThread extends Thread {
    CallbackThread(Runnable r, String name) {
      super(r, name);
      setDaemon(true);
    }
  }

  private static ThreadPoolExecutor pool() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(QUEUE_CAPACITY), r -> new CallbackThread(r, THREAD_PREFIX + n.incrementAndGet()),
        (r, executor) -> {
          OVERFLOWED.increment();
          new CallbackThread(r, THREAD_PREFIX + "overflow").start();
        });
    p.allowCoreThreadTimeOut(true); // a node without cluster traffic keeps no idle threads
    return p;
  }

  /**
   * Makes these threads Hazelcast's default executor for asynchronous callbacks (this JVM's
   * Hazelcast, which is static state there). Idempotent; call before a member starts.
   */
  public static void install() {
    if (ConcurrencyUtil.getDefaultAsyncExecutor() != POOL) {
      ConcurrencyUtil.setDefaultAsyncExecutor(POOL);
    }
  }

  /** For registering a callback on a Hazelcast future that only completes a future of ours. */
  static final Executor WHERE_IT_ARRIVES = Runnable::run;

  /** Runs {@code task} on these threads (work that must not run on a Hazelcast thread). */
  static void execute(Runnable task) {
    POOL.execute(task);
  }

  /**
   * {@code arrived}'s outcome, completed on the context of the thread calling this method when it
   * is a Vert.x one, otherwise on these threads; at once when it is complete already.
   */
  static <T> CompletionStage<T> handedBack(CompletableFuture<T> arrived) {
    if (arrived.isDone()) {
      return arrived;
    }
    Context caller = Vertx.currentContext();
    CompletableFuture<T> answer = new CompletableFuture<>();
    arrived.whenComplete((v, failure) -> {
      Runnable complete = () -> {
        if (failure != null) {
          answer.completeExceptionally(failure);
        } else {
          answer.complete(v);
        }
      };
      if (caller != null) {
        caller.runOnContext(x -> complete.run());
      } else if (Thread.currentThread() instanceof CallbackThread) {
        complete.run();
      } else {
        POOL.execute(complete);
      }
    });
    return answer;
  }

  /** Callbacks that found the queue full and ran on a thread of their own. */
  public static long overflowed() {
    return OVERFLOWED.sum();
  }
}

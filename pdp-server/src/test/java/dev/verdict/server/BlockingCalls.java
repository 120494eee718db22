package dev.verdict.server;

import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Vert.x's blocked-thread warnings that show a thread in a blocking call: sleeping, parked (a
 * future's {@code get}/{@code join}, a lock, a latch), waiting on a monitor, in file I/O, in a
 * blocking socket or a name lookup. Those are bugs on an event loop, whatever the machine.
 *
 * <p>A warning alone is not: on a loaded machine a thread running plain code (or not scheduled
 * at all, or stopped by the collector) outlasts a low threshold too. So every warning is made to
 * carry the thread's stack, taken while it is still over the threshold, and only those whose
 * stack shows a blocking call count. A blocking call inside class loading (the JVM reading a
 * jar) is the first use of a class, not a call of ours, and does not count either.
 */
public final class BlockingCalls extends Handler {
  /** Warnings at all: the checker's message, e.g. "Thread x has been blocked for 260 ms, time limit is 200 ms". */
  private static final String WARNING = "has been blocked for";
  private static final List<String> BLOCKING = List.of(
      "java.lang.Thread.sleep", "java.lang.Thread.join", "java.lang.Object.wait",
      "jdk.internal.misc.Unsafe.park", "java.util.concurrent.locks.LockSupport.park",
      "java.io.FileInputStream.", "java.io.FileOutputStream.", "java.io.RandomAccessFile.",
      "java.io.UnixFileSystem.", "sun.nio.ch.FileChannelImpl.", "sun.nio.fs.UnixNativeDispatcher.",
      "sun.nio.ch.NioSocketImpl.", "java.net.Inet4AddressImpl.lookup", "java.net.Inet6AddressImpl.lookup",
      "java.lang.ProcessHandleImpl.waitFor");
  private static final List<String> CLASS_LOADING = List.of(
      "java.lang.ClassLoader.loadClass", "jdk.internal.loader.", "java.net.URLClassLoader.");
  /** Frames of the blocked thread kept in a report: enough to see who called. */
  private static final int FRAMES_SHOWN = 30;

  private final List<String> found = Collections.synchronizedList(new ArrayList<>());
  private final List<String> ignored = Collections.synchronizedList(new ArrayList<>());

  private BlockingCalls() {}

  /**
   * The options a test server runs with: an event loop busy for 200 ms is reported, with its
   * stack (the warning-exception time is the shortest there is).
   */
  public static void lowThresholds(VertxOptions o) {
    o.setBlockedThreadCheckInterval(50).setMaxEventLoopExecuteTime(TimeUnit.MILLISECONDS.toNanos(200))
        .setWarningExceptionTime(1);
  }

  /** Starts collecting the warnings of every Vert.x instance of this JVM; {@link #close} stops. */
  public static BlockingCalls collect() {
    BlockingCalls calls = new BlockingCalls();
    Logger.getLogger("io.vertx").addHandler(calls);
    return calls;
  }

  /** The warnings whose stack shows a blocking call, each with that stack. */
  public List<String> found() {
    synchronized (found) {
      return List.copyOf(found);
    }
  }

  /** The other warnings (a thread running, or not scheduled, past the threshold): for diagnosis only. */
  public List<String> ignored() {
    synchronized (ignored) {
      return List.copyOf(ignored);
    }
  }

  public void clear() {
    found.clear();
    ignored.clear();
  }

  @Override
  public void publish(LogRecord r) {
    String message = String.valueOf(r.getMessage());
    if (!message.contains(WARNING)) {
      return;
    }
    StackTraceElement[] stack = r.getThrown() == null ? new StackTraceElement[0] : r.getThrown().getStackTrace();
    Optional<String> call = blockingCall(stack);
    if (call.isPresent()) {
      StringBuilder report = new StringBuilder(message).append(", in ").append(call.get());
      for (int i = 0; i < Math.min(stack.length, FRAMES_SHOWN); i++) {
        report.append("\n\tat ").append(stack[i]);
      }
      found.add(report.toString());
    } else {
      ignored.add(message + (stack.length == 0 ? "" : ", at " + stack[0]));
    }
  }

  /**
   * The blocking call a stack shows (its innermost frames up to our own code), if any; none when
   * those frames load a class.
   */
  static Optional<String> blockingCall(StackTraceElement[] stack) {
    String call = null;
    for (StackTraceElement frame : stack) {
      String method = frame.getClassName() + "." + frame.getMethodName();
      if (CLASS_LOADING.stream().anyMatch(method::startsWith)) {
        return Optional.empty();
      }
      if (call == null && BLOCKING.stream().anyMatch(method::startsWith)) {
        call = method;
      }
      if (frame.getClassName().startsWith("dev.verdict.")) {
        break;
      }
    }
    return Optional.ofNullable(call);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("io.vertx").removeHandler(this);
  }
}

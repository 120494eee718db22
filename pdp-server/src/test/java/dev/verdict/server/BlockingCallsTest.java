package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The check the server tests make of their event loops: a blocking call on one is found however
 * long it takes to be seen, a loop that is merely busy past the threshold (as a loaded machine
 * makes plain code) is not.
 */
class BlockingCallsTest {
  private Vertx vertx;
  private BlockingCalls calls;
  private final AtomicBoolean seen = new AtomicBoolean();

  @BeforeEach
  void start() {
    calls = BlockingCalls.collect();
    VertxOptions options = new VertxOptions();
    BlockingCalls.lowThresholds(options);
    vertx = Vertx.vertx(options);
  }

  @AfterEach
  void stop() throws Exception {
    seen.set(true);
    vertx.close().await(30, TimeUnit.SECONDS);
    calls.close();
  }

  @Test
  void aSleepOnAnEventLoopIsFound() throws Exception {
    vertx.runOnContext(v -> {
      while (!seen.get()) {
        sleep(20);
      }
    });
    awaitWarning(calls::found);
    assertThat(calls.found().get(0)).contains("java.lang.Thread.sleep").contains("BlockingCallsTest");
  }

  @Test
  void aJoinOnAnEventLoopIsFound() throws Exception {
    CompletableFuture<Void> never = new CompletableFuture<>();
    vertx.runOnContext(v -> never.join());
    awaitWarning(calls::found);
    never.complete(null);
    assertThat(calls.found().get(0)).contains("park");
  }

  @Test
  void aBusyLoopIsNotABlockingCall() throws Exception {
    vertx.runOnContext(v -> {
      while (!seen.get()) {
        Thread.onSpinWait();
      }
    });
    awaitWarning(calls::ignored);
    assertThat(calls.found()).isEmpty();
  }

  @Test
  void aBlockingCallInsideClassLoadingIsNotOurs() {
    StackTraceElement[] loading = {
        new StackTraceElement("java.io.RandomAccessFile", "readBytes", null, -2),
        new StackTraceElement("java.util.zip.ZipFile$Source", "readFullyAt", null, 1),
        new StackTraceElement("jdk.internal.loader.BuiltinClassLoader", "loadClass", null, 1),
        new StackTraceElement("java.lang.ClassLoader", "loadClass", null, 1),
        new StackTraceElement("dev.verdict.server.http.Routes", "handle", null, 1)};
    assertThat(BlockingCalls.blockingCall(loading)).isEmpty();
    StackTraceElement[] reading = {
        new StackTraceElement("sun.nio.fs.UnixNativeDispatcher", "open0", null, -2),
        new StackTraceElement("java.nio.file.Files", "readAllBytes", null, 1),
        new StackTraceElement("dev.verdict.server.http.Routes", "handle", null, 1)};
    assertThat(BlockingCalls.blockingCall(reading)).contains("sun.nio.fs.UnixNativeDispatcher.open0");
  }

  /** Waits (generously: the checker runs on a loaded machine too) until a warning is sorted into {@code list}. */
  private void awaitWarning(Supplier<List<String>> list) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (list.get().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    seen.set(true);
    assertThat(list.get()).as("warnings: found %s, ignored %s", calls.found(), calls.ignored()).isNotEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.verdict.bench;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;

/**
 * Estimates the heap a checked policy set keeps alive: used heap after a full collection,
 * before and after loading, with the result still referenced. JMH's {@code -prof gc} reports
 * what is allocated per operation, not what stays.
 *
 * <p>Run: {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.verdict.bench.RetainedHeap
 * 10000/500}.
 */
public final class RetainedHeap {
  private RetainedHeap() {}

  public static void main(String[] args) {
    SetShape shape = SetShape.parse(args.length > 0 ? args[0] : "10000/500");
    try (TempSet set = new TempSet(shape)) {
      long before = usedAfterGc();
      long start = System.nanoTime();
      CheckResult result = Verdict.check(List.of(set.dir()));
      long millis = (System.nanoTime() - start) / 1_000_000;
      long after = usedAfterGc();
      System.out.printf("set %s: %d files, %d policies, %d routes, %d limits, %d tests, %.1f KB of source%n",
          shape, set.set.files(), set.set.policies(), set.set.routes(), set.set.limits(), set.set.tests(),
          set.set.bytes() / 1024.0);
      System.out.printf("first check (cold JVM): %d ms, %d errors, %d warnings%n",
          millis, result.errorCount(), result.warningCount());
      System.out.printf("retained heap: %.1f MB (%.1f MB before, %.1f MB after, result alive: %b)%n",
          (after - before) / 1048576.0, before / 1048576.0, after / 1048576.0, !result.files().isEmpty());
    }
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // Several rounds: one System.gc() may leave finalizable or soft garbage behind.
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return used;
  }
}

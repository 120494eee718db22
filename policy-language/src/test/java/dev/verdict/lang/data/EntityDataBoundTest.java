package dev.verdict.lang.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EntityDataBoundTest {
  /**
   * In a JVM sized as the image sizes it (parallel collector, 104 MiB heap, a young generation of
   * a sixth), collections resize the survivor spaces and {@code Runtime.maxMemory()} moves with
   * them; the default bound must not.
   */
  @Test
  void theDefaultBoundStaysWhileTheCollectorResizesTheHeap() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseParallelGC", "-Xmx104m", "-XX:NewRatio=5", "-cp", System.getProperty("java.class.path"),
        Churn.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("the bounds seen while the heap was resized").matches("\\[\\d+]");
  }

  /** Allocates as a load does (some garbage, some kept) and prints every bound it saw. */
  static final class Churn {
    public static void main(String[] args) {
      TreeSet<Long> seen = new TreeSet<>();
      List<byte[]> kept = new ArrayList<>();
      for (int i = 0; i < 4000; i++) {
        byte[] b = new byte[64 * 1024];
        if (i % 3 == 0) {
          kept.add(b);
        }
        if (kept.size() > 300) {
          kept.subList(0, 150).clear();
        }
        seen.add(EntityDataBound.maxBytes());
      }
      System.out.println(seen);
    }
  }
}

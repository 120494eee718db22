package dev.verdict.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * benchmarks/jmh-forks.sh's summary of JMH's output (each fork's mean, then their median), read
 * from output shaped as JMH prints it, so that the figures docs/benchmarks.md quotes from it are
 * what the forks measured.
 */
class JmhForksScriptTest {
  private static final String RESULT =
      "BenchModelBenchmark.oneByOneFromJson            0  avgt   20  1610.793 ± 154.271  ns/op";

  /** JMH's lines for forks whose iterations took {@code forks[f]} ns each, then its result line. */
  private static String jmhOutput(double[][] forks) {
    StringBuilder out = new StringBuilder("# JMH version: 1.37\n# Benchmark: x\n\n");
    for (int f = 0; f < forks.length; f++) {
      out.append("# Run progress: ...\n# Fork: ").append(f + 1).append(" of ").append(forks.length).append('\n');
      for (int w = 1; w <= 2; w++) {
        out.append("# Warmup Iteration   ").append(w).append(": 9999.000 ns/op\n");
      }
      for (int i = 0; i < forks[f].length; i++) {
        out.append("Iteration   ").append(i + 1).append(": ").append(forks[f][i]).append(" ns/op\n");
      }
      out.append('\n');
    }
    out.append("Result \"x\":\n  1610.793 ±(99.9%) 154.271 ns/op [Average]\n\n");
    out.append("Benchmark                                   (unrelated)  Mode  Cnt     Score     Error  Units\n");
    return out.append(RESULT).append('\n').toString();
  }

  private static List<String> summarize(String jmhOutput) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", Path.of("jmh-forks.sh").toString(), "--summarize").start();
    p.getOutputStream().write(jmhOutput.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    return out.lines().toList();
  }

  @Test
  void printsEachForksMeanOfItsMeasuredIterationsThenTheirMedian() throws Exception {
    List<String> out = summarize(jmhOutput(new double[][] {
        {1500, 1510, 1490}, {2200, 2300, 2250}, {1400, 1400, 1400}}));
    assertThat(out).containsExactly(
        "1500 2250 1400 (fork means, ns)",
        "median of 3 forks: 1500 ns",
        RESULT);
  }

  @Test
  void theMedianOfAnEvenNumberOfForksIsTheMeanOfTheMiddleTwo() throws Exception {
    List<String> out = summarize(jmhOutput(new double[][] {{1000}, {3000}, {1200}, {2000}}));
    assertThat(out).containsExactly(
        "1000 3000 1200 2000 (fork means, ns)",
        "median of 4 forks: 1600 ns",
        RESULT);
  }
}

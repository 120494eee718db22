package dev.verdict.bench;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole of {@code verdict check} on a generated set: {@code checkInMemory} parses and
 * checks sources already in memory, {@code checkFromDisk} also reads and decodes the files
 * (what the CLI does). Run: {@code java -jar benchmarks/target/benchmarks.jar Check -f 1 -wi 3
 * -i 5 -prof gc}. (The method names avoid "Parse", so that the regular expression {@code
 * Parse} selects {@link ParseBenchmark} alone.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CheckBenchmark {
  /** {@code rules/files}. */
  @Param({"10/1", "1000/50", "10000/500"})
  public String shape;

  private TempSet set;
  private SourceSet sources;
  private List<Path> paths;

  @Setup(Level.Trial)
  public void setUp() {
    set = new TempSet(SetShape.parse(shape));
    paths = List.of(set.dir());
    sources = new SourceReader().read(paths);
    CheckResult first = Verdict.check(sources);
    if (first.hasErrors()) {
      // Measuring the checker on a set it rejects would measure the wrong path.
      throw new IllegalStateException("the generated set has errors:\n" + first.render());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    set.close();
  }

  @Benchmark
  public CheckResult checkInMemory() {
    return Verdict.check(sources);
  }

  @Benchmark
  public CheckResult checkFromDisk() {
    return Verdict.check(paths);
  }
}

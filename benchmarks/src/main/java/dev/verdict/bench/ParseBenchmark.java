package dev.verdict.bench;

import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.syntax.Parser;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing alone: every file of a generated set, read into memory beforehand, through
 * {@link Parser#parse}. Run: {@code java -jar benchmarks/target/benchmarks.jar Parse -f 1 -wi 3
 * -i 5 -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ParseBenchmark {
  /** {@code rules/files}. */
  @Param({"10/1", "1000/50", "10000/500"})
  public String shape;

  private List<Source> sources;

  @Setup(Level.Trial)
  public void setUp() {
    try (TempSet set = new TempSet(SetShape.parse(shape))) {
      SourceSet read = new SourceReader().read(List.of(set.dir()));
      if (!read.diagnostics().isEmpty()) {
        throw new IllegalStateException("the generated set could not be read: " + read.diagnostics());
      }
      sources = read.policies();
    }
  }

  @Benchmark
  public void parse(Blackhole bh) {
    for (Source s : sources) {
      bh.consume(Parser.parse(s));
    }
  }
}

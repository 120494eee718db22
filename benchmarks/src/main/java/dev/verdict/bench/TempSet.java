package dev.verdict.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A generated policy set in a temporary directory, deleted on {@link #close}. */
final class TempSet implements AutoCloseable {
  final PolicySetGenerator.GeneratedSet set;

  TempSet(SetShape shape) {
    try {
      this.set = PolicySetGenerator.generate(shape, Files.createTempDirectory("verdict-bench-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return set.dir();
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(set.dir())) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.verdict.engine;

import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.data.EntityDataBound;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A policy set compiled before the engine that will serve it exists: {@code verdict serve}
 * compiles its set on a thread of its own while the main thread parses the command line, which
 * took the compile off the path to the first answer (docs/benchmarks.md, "Fifth pass").
 *
 * <p>An engine's first load takes it out, used or not, so at most one engine ever sees it and
 * nothing is held after that load. It uses it only when it is exactly what it would compile
 * itself: {@link Verdict#load} depends on the files read (names, texts, the reader's
 * diagnostics), on the names hashed into the version ({@link PolicySource#relativeName}) and on
 * the entity data bound ({@link EntityDataBound#maxBytes}); all three are compared against the
 * engine's own fresh read. Links added at run time, routes and the load's time are applied by
 * the engine afterwards, as for any load.
 */
final class PreparedLoad {
  /** Empty, a load being prepared (an {@code Object}), or a {@code PreparedLoad}. */
  private static final AtomicReference<Object> SLOT = new AtomicReference<>();

  private final PolicySource source;
  private final String describe;
  private final SourceSet sources;
  private final long entityBytes;
  private final LoadResult result;

  private PreparedLoad(PolicySource source, SourceSet sources, long entityBytes, LoadResult result) {
    this.source = source;
    this.describe = source.describe();
    this.sources = sources;
    this.entityBytes = entityBytes;
    this.result = result;
  }

  /**
   * Reads and compiles {@code source} for the next engine's first load; returns what it compiled.
   * An engine that loads meanwhile takes nothing, and this result is then dropped.
   */
  static LoadResult prepare(PolicySource source) {
    Object pending = new Object();
    SLOT.set(pending);
    try {
      SourceSet read = source.read();
      long bound = EntityDataBound.maxBytes();
      LoadResult loaded = Verdict.load(read, source::relativeName);
      SLOT.compareAndSet(pending, new PreparedLoad(source, read, bound, loaded));
      return loaded;
    } finally {
      SLOT.compareAndSet(pending, null);
    }
  }

  /** Removes the prepared load, if any; every engine's first load calls this, whether it uses it or not. */
  static Optional<PreparedLoad> take() {
    return SLOT.getAndSet(null) instanceof PreparedLoad p ? Optional.of(p) : Optional.empty();
  }

  /** The prepared result when it equals {@code Verdict.load(read, from::relativeName)} as of now. */
  Optional<LoadResult> resultFor(PolicySource from, SourceSet read) {
    boolean same = from.getClass() == source.getClass() && from.describe().equals(describe)
        && EntityDataBound.maxBytes() == entityBytes
        && sameFiles(sources.policies(), read.policies(), from)
        && sameFiles(sources.entityData(), read.entityData(), from)
        && sources.diagnostics().equals(read.diagnostics());
    return same ? Optional.of(result) : Optional.empty();
  }

  private boolean sameFiles(List<Source> prepared, List<Source> read, PolicySource from) {
    if (prepared.size() != read.size()) {
      return false;
    }
    for (int i = 0; i < prepared.size(); i++) {
      Source p = prepared.get(i);
      Source r = read.get(i);
      if (!p.name().equals(r.name()) || !p.text().equals(r.text())
          || !source.relativeName(p.name()).equals(from.relativeName(r.name()))) {
        return false;
      }
    }
    return true;
  }
}

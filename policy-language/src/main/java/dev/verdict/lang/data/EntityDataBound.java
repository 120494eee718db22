package dev.verdict.lang.data;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The bound on a policy set's entity data files, in bytes of their text, checked before any of
 * them is parsed: in memory an entity takes about seven times its JSON (100,000 accounts of
 * 330 bytes each need some 230 MB of heap), so a set past the bound is refused with a
 * diagnostic instead of running the JVM out of memory while it loads.
 */
public final class EntityDataBound {
  /** The environment variable that sets the bound. */
  public static final String ENV = "VERDICT_ENTITY_FILES_BYTES";
  /** The system property that sets the bound (it wins over the environment). */
  public static final String PROPERTY = "verdict.entity.files.bytes";

  private EntityDataBound() {}

  /**
   * The bound: {@link #PROPERTY} or {@link #ENV}, else a sixteenth of the JVM's maximum heap
   * (16 MiB with the launcher's 256 MiB heap) as first read. A value that is not a positive number
   * is ignored for the default, and said so in the diagnostic of a set that exceeds it.
   */
  public static long maxBytes() {
    String v = System.getProperty(PROPERTY, System.getenv(ENV));
    if (v != null) {
      try {
        long n = Long.parseLong(v.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // the default applies
      }
    }
    return HeapShare.BYTES;
  }

  /**
   * Read once: with the parallel collector (the image's) {@code maxMemory()} moves by a few MiB
   * as the collector resizes its survivor spaces, so the same set met a different bound from one
   * load to the next, and {@code serve}'s early compile, used only under the bound it was made
   * with, was thrown away and done again (docs/benchmarks.md, "Sixth pass").
   */
  private static final class HeapShare {
    static final long BYTES = Runtime.getRuntime().maxMemory() / 16;
  }

  /**
   * A diagnostic on the first of {@code data} at which their text passes {@code maxBytes}, or
   * empty when they all fit.
   */
  public static Optional<Diagnostic> check(List<Source> data, long maxBytes) {
    long total = 0;
    for (Source s : data) {
      total += s.text().getBytes(StandardCharsets.UTF_8).length;
      if (total > maxBytes) {
        return Optional.of(Diagnostic.of(Code.TOO_MANY_FILES, Span.ofFile(s.name()),
            "entity data files are larger than the limit of " + maxBytes + " bytes (at `" + s.name()
                + "`, " + total + " bytes so far); none of them is loaded",
            "raise the limit with " + ENV + " or -D" + PROPERTY + " (and the heap with it: an entity takes"
                + " about 7 times its JSON in memory), or push runtime entity data to the entity store"
                + " (/v1/entities) instead"));
      }
    }
    return Optional.empty();
  }
}

package dev.verdict.sdk;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Polls a policy directory on one daemon thread and reloads when a file's name, size or
 * modification time changed. A fingerprint covers at most {@value #MAX_FILES} entries, so a huge
 * directory costs bounded work per poll (the reload itself bounds what it reads).
 */
final class PolicyWatch implements AutoCloseable {
  static final int MAX_FILES = 10_000;
  private static final Logger LOG = Logger.getLogger(PolicyWatch.class.getName());
  private static final BiPredicate<Path, BasicFileAttributes> ANY = (p, a) -> true;

  private final Thread thread;
  private volatile boolean stopped;

  /** @param baseline the fingerprint taken before the set was first loaded, so no change slips between */
  PolicyWatch(Path root, Duration interval, EmbeddedVerdictClient client, long baseline) {
    thread = new Thread(() -> run(root, interval, client, baseline), "verdict-sdk-policy-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(Path root, Duration interval, EmbeddedVerdictClient client, long baseline) {
    long last = baseline;
    while (!stopped) {
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      long now = fingerprint(root);
      if (now != last) {
        last = now;
        try {
          var r = client.reload();
          if (!r.ok()) {
            LOG.warning("the policy set in " + root + " does not load; the previous one keeps serving ("
                + r.diagnostics().size() + " diagnostics)");
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "reloading " + root + " failed; the previous set keeps serving", e);
        }
      }
    }
  }

  /** Names, sizes and modification times of the files under {@code root} (the link followed afresh). */
  static long fingerprint(Path root) {
    long h = 17;
    try (Stream<Path> s = Files.find(root.toRealPath(), 8, ANY, FileVisitOption.FOLLOW_LINKS)) {
      Iterator<Path> it = s.sorted().limit(MAX_FILES).iterator();
      while (it.hasNext()) {
        Path p = it.next();
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        h = h * 31 + p.toString().hashCode();
        h = h * 31 + a.size();
        h = h * 31 + a.lastModifiedTime().toMillis();
      }
      return h;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}

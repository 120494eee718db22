package dev.verdict.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Notices changes to the files of policy sets by polling their sizes and modification times.
 * Polling works alike on every file system (inotify misses changes on network mounts and
 * needs one registration per directory). The snapshot is bounded: past {@link #MAX_FILES}
 * files, or below {@link #MAX_DEPTH} levels, the rest is not watched.
 */
final class FileWatch {
  static final int MAX_FILES = 10_000;
  static final int MAX_DEPTH = 16;

  private final List<Path> roots;
  private Map<String, String> last;

  FileWatch(List<Path> roots) {
    this.roots = List.copyOf(roots);
    this.last = snapshot();
  }

  /**
   * Returns once the files have changed and then stayed unchanged for one interval: an editor
   * or a `git checkout` writes several files in a row, and one run should see them all.
   */
  void awaitChange(long intervalMs) throws InterruptedException {
    Map<String, String> now;
    do {
      Thread.sleep(intervalMs);
      now = snapshot();
    } while (now.equals(last));
    Map<String, String> settled;
    while (true) {
      Thread.sleep(intervalMs);
      settled = snapshot();
      if (settled.equals(now)) {
        break;
      }
      now = settled;
    }
    last = settled;
  }

  private Map<String, String> snapshot() {
    Map<String, String> files = new TreeMap<>();
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
        walk.filter(FileWatch::watched).limit(MAX_FILES - files.size()).forEach(p -> files.put(p.toString(), stamp(p)));
      } catch (IOException | UncheckedIOException e) {
        files.put(root.toString(), "unreadable"); // a directory that comes back is a change too
      }
    }
    return files;
  }

  private static boolean watched(Path p) {
    String name = p.getFileName() == null ? "" : p.getFileName().toString();
    return !name.startsWith(".") && (name.endsWith(".verdict") || name.endsWith(".json")) && Files.isRegularFile(p);
  }

  private static String stamp(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.size() + "@" + a.lastModifiedTime();
    } catch (IOException e) {
      return "gone";
    }
  }
}

package dev.verdict.server.cli;

import dev.verdict.lang.source.SourceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The policy set a file belongs to: the highest directory above it, without a gap and not above
 * the working directory, that holds policy files itself (for a file outside the working
 * directory, its own directory). This is the rule {@link dev.verdict.lang.source.Workspace} reads sets
 * by: a set's root holds a policy file, and a workspace's root holds none.
 */
final class SetRoot {
  private SetRoot() {}

  static Path of(Path file) {
    Path dir = file.toAbsolutePath().normalize().getParent();
    // Never above the working directory, and not at all for a file outside it: a scratch file
    // in /tmp must not pull in whatever else lies in /tmp.
    Path cwd = Path.of("").toAbsolutePath().normalize();
    Path stop = dir.startsWith(cwd) ? cwd : dir;
    Path root = dir;
    for (Path up = dir; up != null && up.startsWith(stop) && holdsPolicyFiles(up); up = up.getParent()) {
      root = up;
    }
    // Keep the name relative when the file was named relatively, as the diagnostics show it.
    Path given = file.getParent() == null ? Path.of("") : file.getParent();
    Path relative = given.toAbsolutePath().normalize().relativize(root);
    Path shown = given.resolve(relative).normalize();
    return shown.toString().isEmpty() ? Path.of(".") : shown;
  }

  private static boolean holdsPolicyFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(SourceReader.POLICY_EXTENSION));
    } catch (IOException e) {
      return false;
    }
  }
}

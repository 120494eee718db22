package dev.verdict.engine;

import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The files under a directory, read afresh each time. */
final class DirectorySource implements PolicySource {
  private final Path root;
  private final String prefix;

  DirectorySource(Path root) {
    this.root = Objects.requireNonNull(root, "root is null");
    this.prefix = root.normalize().toString().replace('\\', '/') + "/";
  }

  @Override
  public SourceSet read() {
    return new SourceReader().read(List.of(root));
  }

  @Override
  public String relativeName(String name) {
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  @Override
  public String describe() {
    return "directory " + root;
  }

  Path root() {
    return root;
  }
}

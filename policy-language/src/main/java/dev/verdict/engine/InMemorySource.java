package dev.verdict.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import dev.verdict.lang.source.SourceSet;

/** Files given as text, by name. */
final class InMemorySource implements PolicySource {
  private final Map<String, String> files;

  InMemorySource(Map<String, String> files) {
    this.files = new TreeMap<>(files); // sorted, as a directory is read, so the version is stable
  }

  @Override
  public SourceSet read() {
    Map<String, byte[]> bytes = new TreeMap<>();
    files.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
    return Sources.of(bytes, new ArrayList<>(), "the given files");
  }

  @Override
  public String describe() {
    return files.size() + " files in memory";
  }
}

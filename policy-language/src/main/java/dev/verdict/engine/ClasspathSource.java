package dev.verdict.engine;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.source.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A directory on the class path: on disk while developing, inside a jar when shipped. */
final class ClasspathSource implements PolicySource {
  private final String directory;
  private final ClassLoader loader;

  ClasspathSource(String directory, ClassLoader loader) {
    String d = directory.startsWith("/") ? directory.substring(1) : directory;
    this.directory = d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
    this.loader = loader == null ? ClasspathSource.class.getClassLoader() : loader;
  }

  @Override
  public String describe() {
    return "class path directory " + directory;
  }

  @Override
  public SourceSet read() {
    List<Diagnostic> diags = new ArrayList<>();
    URL url = loader.getResource(directory);
    if (url == null) {
      diags.add(Diagnostic.of(Code.NOT_FOUND, Span.ofFile(directory),
          "`" + directory + "` is not on the class path", "put the policy files under src/main/resources/" + directory));
      return new SourceSet(List.of(), List.of(), diags);
    }
    try {
      if (url.getProtocol().equals("jar")) {
        String spec = url.toString();
        java.net.URI jar = java.net.URI.create(spec.substring(0, spec.indexOf("!/")));
        try (FileSystem fs = FileSystems.newFileSystem(jar, Map.of())) {
          return read(fs.getPath("/" + directory), diags);
        }
      }
      return read(Path.of(url.toURI()), diags);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      diags.add(Diagnostic.of(Code.UNREADABLE, Span.ofFile(directory),
          "cannot read `" + directory + "` from the class path: " + e.getMessage(), "check the artifact"));
      return new SourceSet(List.of(), List.of(), diags);
    }
  }

  private SourceSet read(Path root, List<Diagnostic> diags) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (!Files.isRegularFile(p) || !(rel.endsWith(SourceReader.POLICY_EXTENSION)
            || SourceReader.isData(rel))) {
          continue;
        }
        if (files.size() >= SourceReader.MAX_FILES) {
          diags.add(Diagnostic.of(Code.TOO_MANY_FILES, Span.ofFile(directory),
              "more than " + SourceReader.MAX_FILES + " policy and data files in `" + directory + "`",
              "split the policy set"));
          break;
        }
        try (InputStream in = Files.newInputStream(p)) {
          files.put(rel, in.readNBytes((int) SourceReader.MAX_FILE_BYTES + 1));
        }
      }
    }
    return Sources.of(files, diags, "class path directory " + directory);
  }
}

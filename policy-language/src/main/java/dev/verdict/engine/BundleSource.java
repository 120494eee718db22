package dev.verdict.engine;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.source.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A zip archive of a policy set (see {@link Bundles}), on disk or in memory. */
final class BundleSource implements PolicySource {
  private final String name;
  private final Path archive;
  private final byte[] bytes;

  BundleSource(Path archive) {
    this.name = archive.toString();
    this.archive = archive;
    this.bytes = null;
  }

  BundleSource(String name, byte[] bytes) {
    this.name = name;
    this.archive = null;
    this.bytes = bytes.clone();
  }

  @Override
  public String describe() {
    return "bundle " + name;
  }

  @Override
  public SourceSet read() {
    List<Diagnostic> diags = new ArrayList<>();
    byte[] data = bytes;
    try {
      if (data == null) {
        if (Files.size(archive) > Bundles.MAX_ARCHIVE_BYTES) {
          throw new Bundles.Refused("the bundle is larger than " + Bundles.MAX_ARCHIVE_BYTES + " bytes");
        }
        data = Files.readAllBytes(archive);
      }
      Map<String, byte[]> files = new TreeMap<>();
      Bundles.read(data).forEach((file, content) -> {
        if (file.endsWith(SourceReader.POLICY_EXTENSION) || SourceReader.isData(file)) {
          files.put(file, content);
        }
      });
      return Sources.of(files, diags, "bundle " + name);
    } catch (Bundles.Refused e) {
      diags.add(Diagnostic.of(Code.UNREADABLE, Span.ofFile(name), e.getMessage(),
          "build bundles with `verdict bundle build DIR` or zip the set's directory with relative names"));
    } catch (IOException e) {
      diags.add(Diagnostic.of(Code.UNREADABLE, Span.ofFile(name), "cannot read the bundle: " + e.getMessage(),
          "check that the file exists and is readable"));
    }
    return new SourceSet(List.of(), List.of(), diags);
  }
}

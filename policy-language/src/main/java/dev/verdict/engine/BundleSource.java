package dev.verdict.engine;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.SourceReader;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.source.Span;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A zip archive of a policy set. The archive is untrusted input (it may come over the network
 * in a cluster): entry names are checked before anything is read, each entry is read with a
 * byte budget rather than trusting the size its header declares, and the archive as a whole
 * may not expand past the bounds a directory has, so neither {@code ../} names nor a zip bomb
 * get further than a diagnostic.
 */
final class BundleSource implements PolicySource {
  /** A compressed archive may be at most this large. */
  static final long MAX_ARCHIVE_BYTES = SourceReader.MAX_TOTAL_BYTES;
  /** Entries of any kind (directories and ignored files count too). */
  static final int MAX_ENTRIES = 2 * SourceReader.MAX_FILES;

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
    if (data == null) {
      try {
        if (Files.size(archive) > MAX_ARCHIVE_BYTES) {
          return failed(diags, Code.FILE_TOO_LARGE, "the bundle is larger than " + MAX_ARCHIVE_BYTES + " bytes",
              "split the policy set");
        }
        data = Files.readAllBytes(archive);
      } catch (IOException e) {
        return failed(diags, Code.UNREADABLE, "cannot read the bundle: " + e.getMessage(),
            "check that the file exists and is readable");
      }
    } else if (data.length > MAX_ARCHIVE_BYTES) {
      return failed(diags, Code.FILE_TOO_LARGE, "the bundle is larger than " + MAX_ARCHIVE_BYTES + " bytes",
          "split the policy set");
    }
    Map<String, byte[]> files = new TreeMap<>();
    long total = 0;
    int entries = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        if (++entries > MAX_ENTRIES) {
          return failed(diags, Code.TOO_MANY_FILES, "the bundle has more than " + MAX_ENTRIES + " entries",
              "split the policy set");
        }
        String entry = e.getName();
        String problem = badName(entry);
        if (problem != null) {
          return failed(diags, Code.UNREADABLE, "bundle entry `" + printable(entry) + "` " + problem,
              "build bundles from the set's directory with relative names, e.g. `cd policies/banking && zip -r ../banking.zip .`");
        }
        if (e.isDirectory() || !(entry.endsWith(SourceReader.POLICY_EXTENSION)
            || entry.endsWith(SourceReader.ENTITIES_EXTENSION))) {
          continue;
        }
        long budget = Math.min(SourceReader.MAX_FILE_BYTES, SourceReader.MAX_TOTAL_BYTES - total) + 1;
        byte[] content = readAtMost(zip, budget);
        if (content.length >= budget) {
          return failed(diags, Code.FILE_TOO_LARGE, "bundle entry `" + entry + "` expands past "
              + Math.min(SourceReader.MAX_FILE_BYTES, SourceReader.MAX_TOTAL_BYTES - total) + " bytes",
              "a file may have at most " + SourceReader.MAX_FILE_BYTES + " bytes, a set "
                  + SourceReader.MAX_TOTAL_BYTES);
        }
        total += content.length;
        if (files.put(entry, content) != null) {
          return failed(diags, Code.UNREADABLE, "bundle entry `" + entry + "` appears twice",
              "rebuild the bundle");
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      return failed(diags, Code.UNREADABLE, "the bundle is not a valid zip archive: " + e.getMessage(),
          "bundles are zip archives of the set's files");
    }
    return Sources.of(files, diags, "bundle " + name);
  }

  /** Why an entry name is refused, or null. Names are relative, with {@code /}, and stay inside. */
  static String badName(String entry) {
    if (entry.isEmpty() || entry.length() > 1024) {
      return "has no usable name";
    }
    if (entry.startsWith("/") || entry.contains("\\") || (entry.length() > 1 && entry.charAt(1) == ':')) {
      return "is not a relative path";
    }
    for (int i = 0; i < entry.length(); i++) {
      if (Character.isISOControl(entry.charAt(i))) {
        return "contains a control character";
      }
    }
    for (String part : entry.split("/", -1)) {
      if (part.equals("..")) {
        return "leaves the bundle (`..`)";
      }
    }
    return null;
  }

  private static byte[] readAtMost(InputStream in, long budget) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long left = budget;
    int n;
    while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
      out.write(buf, 0, n);
      left -= n;
    }
    return out.toByteArray();
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(200).forEach(c -> {
      if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private SourceSet failed(List<Diagnostic> diags, Code code, String message, String help) {
    diags.add(Diagnostic.of(code, Span.ofFile(name), message, help));
    return new SourceSet(List.of(), List.of(), diags);
  }
}

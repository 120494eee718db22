package dev.verdict.engine;

import dev.verdict.lang.source.SourceReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Policy bundles: zip archives of a set's files, read as untrusted input. Entry names are checked
 * before anything is read, each entry is read with a byte budget rather than trusting the size
 * its header declares, and the archive may not expand past the bounds a directory has, so
 * neither {@code ../} names nor a zip bomb get further than a refusal.
 */
public final class Bundles {
  /** A compressed archive may be at most this large. */
  public static final long MAX_ARCHIVE_BYTES = SourceReader.MAX_TOTAL_BYTES;
  /** Entries of any kind (directories count too). */
  public static final int MAX_ENTRIES = 2 * SourceReader.MAX_FILES;

  private Bundles() {}

  /** Why an archive was refused, in words for the person who built it. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Every file entry of an archive by name, sorted; directories are left out.
   *
   * @throws Refused when the archive is not a zip, is too large, or has an entry that is too
   *     large, appears twice or names a path outside the bundle
   */
  public static Map<String, byte[]> read(byte[] archive) throws Refused {
    if (archive.length > MAX_ARCHIVE_BYTES) {
      throw new Refused("the bundle is larger than " + MAX_ARCHIVE_BYTES + " bytes");
    }
    Map<String, byte[]> files = new TreeMap<>();
    long total = 0;
    int entries = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        if (++entries > MAX_ENTRIES) {
          throw new Refused("the bundle has more than " + MAX_ENTRIES + " entries");
        }
        String name = e.getName();
        String problem = badName(name);
        if (problem != null) {
          throw new Refused("bundle entry `" + printable(name) + "` " + problem);
        }
        if (e.isDirectory()) {
          continue;
        }
        long allowed = Math.min(SourceReader.MAX_FILE_BYTES, SourceReader.MAX_TOTAL_BYTES - total);
        byte[] content = readAtMost(zip, allowed + 1);
        if (content.length > allowed) {
          throw new Refused("bundle entry `" + name + "` expands past " + allowed + " bytes");
        }
        total += content.length;
        if (files.put(name, content) != null) {
          throw new Refused("bundle entry `" + name + "` appears twice");
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new Refused("the bundle is not a valid zip archive: " + e.getMessage());
    }
    if (entries == 0) {
      throw new Refused("the bundle is empty or not a zip archive");
    }
    return Collections.unmodifiableMap(files);
  }

  /** An archive of {@code files}, by relative name, in name order (so equal sets zip alike). */
  public static byte[] write(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
        if (badName(f.getKey()) != null) {
          throw new IllegalArgumentException("`" + f.getKey() + "` cannot be a bundle entry: " + badName(f.getKey()));
        }
        ZipEntry e = new ZipEntry(f.getKey());
        e.setTime(0); // no build time in the archive: the same files give the same bytes
        z.putNextEntry(e);
        z.write(f.getValue());
        z.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
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
}

package dev.verdict.lang.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads the files of a policy set with every input bounded: file size, file count, total
 * size; invalid UTF-8, NUL bytes, missing paths and symbolic link loops become diagnostics.
 * Directories are walked in sorted order so that names and the version hash are stable.
 */
public final class SourceReader {
  public static final String POLICY_EXTENSION = ".verdict";
  public static final String ENTITIES_EXTENSION = ".entities.json";
  /** Links of templates, data like entities: read with them, hashed into the version with them. */
  public static final String LINKS_EXTENSION = ".links.json";
  /** Whether a file is data of the set (entities or links), read into {@link SourceSet#entityData()}. */
  public static boolean isData(String name) {
    return name.endsWith(ENTITIES_EXTENSION) || name.endsWith(LINKS_EXTENSION);
  }

  /** One file; a policy file is source code, not data. */
  public static final long MAX_FILE_BYTES = 2L * 1024 * 1024;
  /** All files of one set together. */
  public static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;
  public static final int MAX_FILES = 10_000;

  private final long maxFileBytes;

  public SourceReader() {
    this(MAX_FILE_BYTES);
  }

  public SourceReader(long maxFileBytes) {
    this.maxFileBytes = maxFileBytes;
  }

  /**
   * Reads every policy and entity data file under each path. Files are named by the path as
   * given joined with their path below it ({@code policies/banking/accounts.verdict}), with
   * {@code /} separators, so that a reported location can be opened from where the command ran.
   */
  public SourceSet read(List<Path> paths) {
    List<Diagnostic> diags = new ArrayList<>();
    TreeMap<String, Path> found = new TreeMap<>();
    for (Path p : paths) {
      collect(p, found, diags);
    }
    List<Source> policies = new ArrayList<>();
    List<Source> data = new ArrayList<>();
    long total = 0;
    if (found.size() > MAX_FILES) {
      diags.add(Diagnostic.of(Code.TOO_MANY_FILES, Span.ofFile(paths.get(0).toString()),
          "policy set has " + found.size() + " files, more than the limit of " + MAX_FILES,
          "split it into several policy sets"));
      return new SourceSet(policies, data, diags);
    }
    for (var e : found.entrySet()) {
      String name = e.getKey();
      Path file = e.getValue();
      long size;
      try {
        size = Files.size(file);
      } catch (IOException ex) {
        diags.add(Diagnostic.of(Code.UNREADABLE, Span.ofFile(name), "cannot read `" + name + "`: " + reason(ex)));
        continue;
      }
      if (size > maxFileBytes) {
        diags.add(Diagnostic.of(Code.FILE_TOO_LARGE, Span.ofFile(name),
            "file is " + size + " bytes, more than the limit of " + maxFileBytes + " bytes",
            "split it into several files"));
        continue;
      }
      total += size;
      if (total > MAX_TOTAL_BYTES) {
        diags.add(Diagnostic.of(Code.TOO_MANY_FILES, Span.ofFile(name),
            "policy set is larger than the limit of " + MAX_TOTAL_BYTES + " bytes",
            "split it into several policy sets"));
        break;
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException ex) {
        diags.add(Diagnostic.of(Code.UNREADABLE, Span.ofFile(name), "cannot read `" + name + "`: " + reason(ex)));
        continue;
      }
      Source source = decode(name, bytes, diags);
      if (source != null) {
        (isData(name) ? data : policies).add(source);
      }
    }
    if (policies.isEmpty() && diags.isEmpty()) {
      String where = paths.isEmpty() ? "." : paths.get(0).toString();
      diags.add(Diagnostic.of(Code.NO_POLICIES, Span.ofFile(where),
          "no policy files found in `" + where + "`",
          "policy files end in `" + POLICY_EXTENSION + "`"));
    }
    return new SourceSet(policies, data, diags);
  }

  /** Decodes one file's bytes as strict UTF-8; null (and a diagnostic) when it is not text. */
  public static Source decode(String name, byte[] bytes, List<Diagnostic> diags) {
    int start = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
      start = 3; // a UTF-8 byte order mark carries no meaning
    }
    for (int i = start; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        int[] pos = position(bytes, start, i);
        diags.add(Diagnostic.of(Code.NUL_BYTE, Span.at(name, pos[0], pos[1]),
            "file contains a NUL byte at line " + pos[0] + ", column " + pos[1],
            "policy files are text; remove the byte or check that this is the right file"));
        return null;
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int bad = in.position();
      int[] pos = position(bytes, start, bad);
      diags.add(Diagnostic.of(Code.INVALID_UTF8, Span.at(name, pos[0], pos[1]),
          String.format("invalid UTF-8 byte 0x%02X at line %d, column %d", bytes[bad] & 0xff, pos[0], pos[1]),
          "save the file as UTF-8"));
      return null;
    }
    decoder.flush(out);
    out.flip();
    return new Source(name, out.toString());
  }

  /** 1-based line and column (in code points) of byte {@code offset}, counting valid UTF-8 before it. */
  private static int[] position(byte[] bytes, int start, int offset) {
    int line = 1;
    int col = 1;
    for (int i = start; i < offset; i++) {
      int b = bytes[i] & 0xff;
      if (b == '\n') {
        line++;
        col = 1;
      } else if ((b & 0xC0) != 0x80) {
        col++; // count lead bytes and ASCII, not continuation bytes
      }
    }
    return new int[] {line, col};
  }

  private void collect(Path root, TreeMap<String, Path> found, List<Diagnostic> diags) {
    String rootName = root.toString();
    if (!Files.exists(root)) {
      if (Files.isSymbolicLink(root)) {
        diags.add(Diagnostic.of(Code.NOT_FOUND, Span.ofFile(rootName),
            "`" + rootName + "` is a symbolic link to nothing", "point it at a policy directory"));
      } else {
        diags.add(Diagnostic.of(Code.NOT_FOUND, Span.ofFile(rootName), "`" + rootName + "` does not exist",
            "give a policy directory or a `" + POLICY_EXTENSION + "` file"));
      }
      return;
    }
    if (!Files.isDirectory(root)) {
      String name = root.toString().replace('\\', '/');
      if (name.endsWith(POLICY_EXTENSION) || isData(name)) {
        found.put(name, root);
      } else {
        diags.add(Diagnostic.of(Code.NOT_A_POLICY_FILE, Span.ofFile(name),
            "`" + name + "` is not a policy file",
            "policy files end in `" + POLICY_EXTENSION + "`, entity data in `" + ENTITIES_EXTENSION + "`, links in `"
                + LINKS_EXTENSION + "`"));
      }
      return;
    }
    int before = found.size();
    try {
      Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), 64, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String n = dir.getFileName() == null ? "" : dir.getFileName().toString();
          if (!dir.equals(root) && (n.startsWith(".") || n.equals("target"))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String rel = display(root, file);
          if (attrs.isRegularFile() && (rel.endsWith(POLICY_EXTENSION) || isData(rel))) {
            if (found.size() <= MAX_FILES) {
              found.put(rel, file);
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          String rel = display(root, file);
          if (e instanceof FileSystemLoopException) {
            diags.add(Diagnostic.of(Code.SYMLINK_LOOP, Span.ofFile(rel),
                "symbolic link `" + rel + "` leads back into a directory that contains it",
                "remove the link or point it outside the policy directory"));
          } else if (e instanceof NoSuchFileException) {
            diags.add(Diagnostic.of(Code.NOT_FOUND, Span.ofFile(rel),
                "`" + rel + "` is a symbolic link to nothing", "remove the link"));
          } else {
            diags.add(Diagnostic.of(Code.UNREADABLE, Span.ofFile(rel), "cannot read `" + rel + "`: " + reason(e)));
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      diags.add(Diagnostic.of(Code.UNREADABLE, Span.ofFile(rootName), "cannot read `" + rootName + "`: " + reason(e)));
    }
    if (found.size() == before && diags.stream().noneMatch(d -> d.code() != Code.NO_POLICIES)) {
      diags.add(Diagnostic.of(Code.NO_POLICIES, Span.ofFile(rootName),
          "no policy files found in `" + rootName + "`",
          "policy files end in `" + POLICY_EXTENSION + "`"));
    }
  }

  /** The name a file is reported under: the directory as given joined with the path below it. */
  private static String display(Path root, Path file) {
    return root.resolve(root.relativize(file)).normalize().toString().replace('\\', '/');
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not valid text";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}

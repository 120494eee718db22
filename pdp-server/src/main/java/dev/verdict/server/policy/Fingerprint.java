package dev.verdict.server.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cheap summary of a directory tree: every path with its size and modification time, hashed.
 * Polling it works on every file system (tmpfs, overlay, NFS, a Kubernetes ConfigMap's symlink
 * swap), where change notifications do not.
 */
final class Fingerprint {
  /** ConfigMaps nest two symlinked levels; policy sets are not deeper than this. */
  private static final int MAX_DEPTH = 16;

  private Fingerprint() {}

  static String of(Path dir) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(dir, MAX_DEPTH, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      paths.forEach(p -> {
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          lines.add(p + "|" + a.size() + "|" + a.lastModifiedTime().toInstant() + "|" + a.fileKey());
        } catch (IOException e) {
          lines.add(p + "|unreadable");
        }
      });
    } catch (IOException | RuntimeException e) {
      // A directory that cannot be walked right now (being replaced) differs from any that can.
      return "unreadable:" + e.getClass().getSimpleName();
    }
    lines.sort(String::compareTo);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String l : lines) {
        md.update(l.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}

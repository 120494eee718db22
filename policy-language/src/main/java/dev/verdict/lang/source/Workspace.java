package dev.verdict.lang.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the policy sets under a directory. A directory that holds policy files itself is one
 * set. A directory that holds none itself, but whose subdirectories do, is a workspace: each
 * such subdirectory is a set of its own (as {@code policies/} holds {@code banking/},
 * {@code documents/} and {@code admin-api/}). A set organised only in subdirectories therefore
 * needs one file at its root (its schema, say) to be read as one set.
 */
public final class Workspace {
  private Workspace() {}

  /** The policy sets under {@code dir}: {@code [dir]} itself, or its set subdirectories. */
  public static List<Path> sets(Path dir) {
    if (!Files.isDirectory(dir) || hasPolicyFiles(dir)) {
      return List.of(dir);
    }
    List<Path> sets = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      children.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals("target"))
          .sorted()
          .filter(Workspace::containsPolicyFiles)
          .forEach(sets::add);
    } catch (IOException e) {
      return List.of(dir); // the reader reports what cannot be read
    }
    return sets.isEmpty() ? List.of(dir) : sets;
  }

  private static boolean hasPolicyFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> Files.isRegularFile(p) && isPolicyFile(p));
    } catch (IOException e) {
      return true;
    }
  }

  private static boolean containsPolicyFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 16)) {
      return files.anyMatch(p -> Files.isRegularFile(p) && isPolicyFile(p)
          && !p.toString().contains("/target/") && !p.toString().contains("/."));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static boolean isPolicyFile(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(SourceReader.POLICY_EXTENSION);
  }
}

package dev.verdict.engine;

import dev.verdict.lang.source.SourceSet;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an {@link Engine} reads its policy set from. Each {@link #read} reads the whole set
 * afresh, with every input bounded as {@link dev.verdict.lang.source.SourceReader} bounds files
 * on disk; problems (a missing directory, a file that is not UTF-8, an archive entry outside
 * the set) come back as diagnostics in the {@link SourceSet}, never as exceptions.
 *
 * <p>The set's version hashes file names relative to its root ({@link #relativeName}), so a
 * set has the same version wherever it is read from; diagnostics keep the names as read, so a
 * reported location opens from where the command ran.
 */
public interface PolicySource {

  /** Reads every policy and entity data file of the set. Blocking; never on an event loop. */
  SourceSet read();

  /** Where the set comes from, for messages ({@code directory policies/banking}). */
  String describe();

  /** A file's name as read, relative to the set's root. */
  default String relativeName(String name) {
    return name;
  }

  /**
   * The policy files under a directory. A directory that is a symbolic link is followed afresh
   * on every read, so replacing the link (as Kubernetes does for ConfigMap volumes) switches
   * the whole set at once.
   */
  static PolicySource directory(Path root) {
    return new DirectorySource(root);
  }

  /** Files held in memory, by relative name ({@code "accounts.verdict"} → its text). */
  static PolicySource files(Map<String, String> files) {
    return new InMemorySource(files);
  }

  /**
   * A directory of the class path ({@code "policies/banking"}), in a jar or on disk: for a
   * service that ships its policies inside its own artifact.
   */
  static PolicySource classpath(String directory) {
    return classpath(directory, Thread.currentThread().getContextClassLoader());
  }

  /** A directory of {@code loader}'s class path. */
  static PolicySource classpath(String directory, ClassLoader loader) {
    return new ClasspathSource(directory, loader);
  }

  /**
   * A bundle: a zip archive of the set's files. Entry names must be relative paths without
   * {@code ..}; sizes, counts and the compression ratio are bounded, so a hostile archive is
   * refused with a diagnostic rather than filling memory.
   */
  static PolicySource bundle(Path archive) {
    return new BundleSource(archive);
  }

  /** A bundle already in memory (pushed over the network, say), named for messages. */
  static PolicySource bundle(String name, byte[] archive) {
    return new BundleSource(name, archive);
  }
}

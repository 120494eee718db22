package dev.verdict.deploy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The distribution `mvn package` builds, unpacked as a user (or the image's first stage) unpacks
 * it, and the environment it is run with: a PATH with a shell, the few tools bin/verdict uses and
 * java, nothing else (no Maven, no JDK tools).
 *
 * @param home the unpacked distribution's root
 * @param env PATH and HOME
 * @param tools the directory of the links the PATH names
 */
record Unpacked(Path home, Map<String, String> env, Path tools) {

  static Unpacked into(Path dir) throws Exception {
    Path archive = Repo.distribution();
    if (!Files.isRegularFile(archive)) {
      fail("no distribution at " + archive + ": it is built in pdp-server's package phase; run "
          + "`mvn -B -o -pl deploy-tests -am verify` (or the whole `mvn -B verify`)");
    }
    Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
    DistributionTest.run(unpacked, Map.of(), "tar", "-xzf", archive.toString());
    Path bin = Files.createDirectories(dir.resolve("path"));
    for (String tool : List.of("sh", "dirname", "cat", "wc", "ls", "sed")) {
      Files.createSymbolicLink(bin.resolve(tool), DistributionTest.which(tool));
    }
    Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    return new Unpacked(unpacked.resolve("verdict-" + Repo.version()),
        Map.of("PATH", bin.toString(), "HOME", dir.toString()), bin);
  }

  /** Removes the links to the tools, so that the temporary directory's cleanup need not warn about them. */
  void unlinkTools() throws IOException {
    try (var links = Files.list(tools)) {
      for (Path l : (Iterable<Path>) links::iterator) {
        Files.delete(l);
      }
    }
  }
}

package dev.verdict.deploy;

import java.nio.file.Path;

/** Where the build put things: the repository root and the distribution (set by the pom). */
final class Repo {
  private Repo() {}

  static Path root() {
    return Path.of(System.getProperty("verdict.repo", "..")).toAbsolutePath().normalize();
  }

  static Path distribution() {
    return Path.of(System.getProperty("verdict.distribution",
        "../pdp-server/target/verdict-" + version() + ".tar.gz")).toAbsolutePath().normalize();
  }

  static String version() {
    return System.getProperty("verdict.version", "0.1.0-SNAPSHOT");
  }

  /** The JVM flags `serve` runs with, in the distribution and the image. */
  static Path serveOptions() {
    return root().resolve("pdp-server/src/main/dist/lib/serve.options");
  }
}

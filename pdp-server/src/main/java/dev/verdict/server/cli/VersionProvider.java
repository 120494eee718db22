package dev.verdict.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The project version and the git commit it was built from, as the build recorded them in
 * {@code build.properties} (see pdp-server/pom.xml). A build outside a git checkout records
 * the commit as {@code unknown}.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
  static final String RESOURCE = "build.properties";

  @Override
  public String[] getVersion() {
    Properties build = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      // an unreadable resource reads as a missing one: the line below says what is unknown
    }
    String version = known(build.getProperty("version"));
    String commit = known(build.getProperty("commit"));
    return new String[] {"verdict " + version + " (commit " + commit + ")"};
  }

  /** A value, or {@code unknown} when the build did not record it (or filtering did not run). */
  private static String known(String value) {
    return value == null || value.isBlank() || value.contains("${") ? "unknown" : value.strip();
  }
}

package dev.verdict.server.cli;

import picocli.CommandLine;

/** The version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VerdictCommand.class.getPackage().getImplementationVersion();
    return new String[] {"verdict " + (v == null ? "development" : v)};
  }
}

package dev.verdict.server.cli;

import dev.verdict.server.auth.ApiKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code verdict hash-key}: reads an API key from standard input (never from an argument, which
 * would show in process listings and shell history) and prints the {@code sha256:…} form the
 * configuration takes.
 */
@Command(name = "hash-key", description = "Read an API key from standard input and print its hash for the configuration.")
final class HashKeyCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    char[] buf = new char[ApiKeys.MAX_KEY_LENGTH + 2];
    int n = in.read(buf, 0, buf.length);
    String key = n <= 0 ? "" : new String(buf, 0, n).strip();
    if (key.contains("\n")) {
      key = key.substring(0, key.indexOf('\n')).strip();
    }
    if (key.length() < ApiKeys.MIN_KEY_LENGTH) {
      spec.commandLine().getErr().println("error: an API key has at least " + ApiKeys.MIN_KEY_LENGTH
          + " characters; generate one with e.g. `openssl rand -hex 32`");
      return VerdictCommand.USAGE;
    }
    if (key.length() > ApiKeys.MAX_KEY_LENGTH) {
      spec.commandLine().getErr().println("error: an API key has at most " + ApiKeys.MAX_KEY_LENGTH + " characters");
      return VerdictCommand.USAGE;
    }
    spec.commandLine().getOut().println(ApiKeys.hash(key));
    return VerdictCommand.OK;
  }
}

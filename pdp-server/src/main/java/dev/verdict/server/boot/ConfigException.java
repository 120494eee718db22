package dev.verdict.server.boot;

/** A configuration that cannot be used; its message says which key, where, and why. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}

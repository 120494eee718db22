package dev.verdict.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do: ask for decisions, write entity data ({@code /v1/entities}), or
 * administer the server (reload, inspect; implies the others).
 */
public enum Scope {
  DECIDE, ADMIN, DATA;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Scope> parse(String word) {
    for (Scope s : values()) {
      if (s.word().equals(word)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}

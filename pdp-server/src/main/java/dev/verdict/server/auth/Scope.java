package dev.verdict.server.auth;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do: ask for decisions, or also administer the server (reload, inspect). */
public enum Scope {
  DECIDE, ADMIN;

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

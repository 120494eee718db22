package dev.verdict.lang.rate;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a limit does when its budget store cannot answer in time ({@code on unavailable …}):
 * {@link #DENY} refuses the request (the default: limits fail closed), {@link #ALLOW} admits it
 * uncounted, {@link #LOCAL} counts it in this process's own budget for the key until the store
 * answers again.
 */
public enum FailMode {
  DENY, ALLOW, LOCAL;

  public static final List<String> NAMES = List.of("deny", "allow", "local");

  /** The mode a word of the language names, or empty. */
  public static Optional<FailMode> parse(String word) {
    return switch (word) {
      case "deny" -> Optional.of(DENY);
      case "allow" -> Optional.of(ALLOW);
      case "local" -> Optional.of(LOCAL);
      default -> Optional.empty();
    };
  }

  /** The word the language uses: {@code deny}, {@code allow} or {@code local}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}

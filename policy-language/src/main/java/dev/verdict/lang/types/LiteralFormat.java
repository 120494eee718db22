package dev.verdict.lang.types;

import dev.verdict.lang.syntax.Literals;
import java.util.Optional;

/**
 * What a string argument of a built-in function must spell, so that a constant that can
 * never parse ({@code ip("300.1.1.1")}) is an error before deployment, not at every request.
 * The evaluator parses with the same rules ({@link IpAddress}, {@link IpRange},
 * {@link Times}, {@link Literals#duration}).
 */
public enum LiteralFormat {
  /** Any string. */
  ANY_TEXT("a string", ""),
  IP_ADDRESS("an IP address", "write an IPv4 address such as `10.1.2.3` or an IPv6 address such as `2001:db8::1`"),
  IP_RANGE("an IP range", "write an address and a prefix length, such as `10.0.0.0/8` or `2001:db8::/32`"),
  DURATION("a duration", "write a number and a unit (`ms`, `s`, `m`, `h`, `d`), such as `90s`, `1h30m` or `-24h`"),
  TIME("an RFC 3339 time", "write a date, time and offset, such as `2024-05-01T09:30:00Z` or"
      + " `2024-10-15T11:35:00-0500`, or a date alone, such as `2024-10-15`");

  private final String description;
  private final String help;

  LiteralFormat(String description, String help) {
    this.description = description;
    this.help = help;
  }

  /** In words, with an article: {@code an IP address}. */
  public String description() {
    return description;
  }

  /** How to write a valid value; empty for {@link #ANY_TEXT}. */
  public String help() {
    return help;
  }

  public boolean accepts(String value) {
    return switch (this) {
      case ANY_TEXT -> true;
      case IP_ADDRESS -> IpAddress.parse(value).isPresent();
      case IP_RANGE -> IpRange.parse(value).isPresent();
      case DURATION -> Literals.duration(value) != null;
      case TIME -> Times.parse(value).isPresent();
    };
  }

  /** The problem with {@code value}, e.g. "`300.1.1.1` is not an IP address", if any. */
  public Optional<String> problem(String value) {
    if (accepts(value)) {
      return Optional.empty();
    }
    String shown = value.length() > 60 ? value.substring(0, 57) + "…" : value;
    return Optional.of("`" + shown + "` is not " + description);
  }
}

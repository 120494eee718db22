package dev.verdict.lang.types;

import java.math.BigDecimal;

/**
 * The bounds on a number read from JSON (requests, entity data, claims). Numbers are exact
 * decimals, so without a bound {@code 1e999999999} would be a billion digits the first time
 * anything printed it. Within the bounds a number's plain form is at most 82 characters.
 */
public final class Numbers {
  /** At most this many significant digits, digits before the decimal point and digits after it. */
  public static final int MAX_DIGITS = 40;

  /** What a number out of range is told, for messages. */
  public static final String BOUNDS = "numbers have at most " + MAX_DIGITS + " significant digits, " + MAX_DIGITS
      + " digits before the decimal point and " + MAX_DIGITS + " after it";

  private Numbers() {}

  /** Whether {@code d} is within the bounds; judged on its digits and scale, never its expansion. */
  public static boolean inBounds(BigDecimal d) {
    if (d.signum() == 0) {
      return true;
    }
    if (d.precision() > 4 * MAX_DIGITS) {
      return false;
    }
    BigDecimal s = d.stripTrailingZeros();
    long integerDigits = (long) s.precision() - s.scale();
    return s.precision() <= MAX_DIGITS && integerDigits <= MAX_DIGITS && s.scale() <= MAX_DIGITS;
  }
}

package dev.verdict.lang.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The allocation-free reading of times agrees with the JDK's RFC 3339 parser on every text. */
class TimesTest {
  @ParameterizedTest
  @ValueSource(strings = {"2024-01-01T12:00:00Z", "2099-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
      "1969-12-31T23:59:59.999Z", "1900-03-01T00:00:00.5+01:00", "2024-02-29T23:59:59.123456789-05:30",
      "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999+17:59", "2024-05-01T09:30:00.1234Z",
      "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-01T24:00:00Z",
      "2024-01-01T23:60:00Z", "2024-01-01T23:59:60Z", "2024-01-01T12:00:00", "2024-01-01T12:00:00+18:00",
      "2024-01-01T12:00:00+18:01", "2024-01-01T12:00:00.Z", "2024-01-01T12:00:00.1234567890Z",
      "2024-01-01t12:00:00z", "2024-01-01T12:00Z", "+12024-01-01T12:00:00Z", "2024-1-01T12:00:00Z",
      "2024-01-01T12:00:00+0100", "2024-01-01T12:00:00+01", "2024-01-01T12:00:00 Z", "", "not a time",
      "2024-01-01T12:00:00.000Z ", "2024-01-01T12:00:00-00:00", "1600-02-29T00:00:00Z", "1700-02-29T00:00:00Z"})
  void readsWhatTheJdkReads(String text) {
    assertThat(Times.epochMillis(text)).isEqualTo(jdk(text));
  }

  @Test
  void agreesOnGeneratedTexts() {
    Random random = new Random(17);
    String[] offsets = {"Z", "+00:00", "-00:00", "+05:30", "-11:45", "+17:59", "+18:00", "+24:00", "z", "+1:00"};
    for (int i = 0; i < 100_000; i++) {
      String frac = switch (random.nextInt(4)) {
        case 0 -> "";
        case 1 -> "." + random.nextInt(10);
        case 2 -> "." + String.format("%03d", random.nextInt(1000));
        default -> "." + String.format("%09d", random.nextInt(1_000_000_000));
      };
      String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000),
          random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62), frac,
          offsets[random.nextInt(offsets.length)]);
      assertThat(Times.epochMillis(text)).as(text).isEqualTo(jdk(text));
    }
  }

  private static long jdk(String text) {
    Optional<Instant> at = Times.parse(text);
    return at.isPresent() ? at.get().toEpochMilli() : Times.NOT_A_TIME;
  }
}

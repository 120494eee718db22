package dev.verdict.lang.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LiteralFormatsTest {
  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "10.1.2.3", "255.255.255.255", "::", "::1", "2001:db8::1", "fe80::1:2:3:4",
      "1:2:3:4:5:6:7:8", "::ffff:192.168.1.1", "2001:DB8::A"})
  void acceptsAddresses(String text) {
    assertThat(IpAddress.parse(text)).isPresent();
    assertThat(LiteralFormat.IP_ADDRESS.problem(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "300.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "1::2::3",
      "1:2:3:4:5:6:7:8:9", "12345::", "1.2.3.4::", "::1%eth0", "localhost", " 1.2.3.4"})
  void refusesWhatIsNotAnAddress(String text) {
    assertThat(IpAddress.parse(text)).isEmpty();
    assertThat(LiteralFormat.IP_ADDRESS.problem(text)).contains("`" + text + "` is not an IP address");
  }

  @ParameterizedTest
  @CsvSource({
      "10.0.0.0/8, 10.200.1.1, true",
      "10.0.0.0/8, 11.0.0.1, false",
      "192.168.1.0/25, 192.168.1.127, true",
      "192.168.1.0/25, 192.168.1.128, false",
      "0.0.0.0/0, 8.8.8.8, true",
      "2001:db8::/32, 2001:db8:ffff::1, true",
      "2001:db8::/32, 2001:db9::1, false",
      "::/0, 10.0.0.1, true",
      "::ffff:0:0/96, 10.0.0.1, true",
      "10.0.0.0/8, ::ffff:10.1.2.3, true",
      "10.0.0.0/8, ::1, false"})
  void rangesContainTheirAddresses(String range, String ip, boolean inside) {
    assertThat(IpRange.parse(range).orElseThrow().contains(IpAddress.parse(ip).orElseThrow())).isEqualTo(inside);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "10.0.0.0/08", "::/129", "10.0.0.0/8/8", "x/8"})
  void refusesMalformedRanges(String text) {
    assertThat(IpRange.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1, true, false", "::1, true, false", "224.0.0.1, false, true", "ff02::1, false, true",
      "10.0.0.1, false, false"})
  void classifiesAddresses(String ip, boolean loopback, boolean multicast) {
    IpAddress a = IpAddress.parse(ip).orElseThrow();
    assertThat(a.isLoopback()).isEqualTo(loopback);
    assertThat(a.isMulticast()).isEqualTo(multicast);
  }

  @ParameterizedTest
  @CsvSource({"2024-05-01T09:30:00Z, 2024-05-01T09:30:00Z", "2024-05-01T11:30:00+02:00, 2024-05-01T09:30:00Z",
      "2024-05-01T09:30:00.250Z, 2024-05-01T09:30:00.250Z",
      // Issue 13 gap 5: an offset without a colon, and a date alone (midnight UTC).
      "2024-10-15T11:35:00-0500, 2024-10-15T16:35:00Z", "2024-10-15T11:35:00.5+0130, 2024-10-15T10:05:00.5Z",
      "2024-05-01, 2024-05-01T00:00:00Z"})
  void readsRfc3339Times(String text, String instant) {
    assertThat(Times.parse(text)).contains(Instant.parse(instant));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2024-02-30", "2024-5-01", "2024-05-01T09:30:00", "2024-13-01T00:00:00Z",
      "2024-05-01 09:30:00Z", "2024-05-01T09:30:00-05000", "2024-05-01-0500"})
  void refusesTimesWithoutADateOrWithoutAnOffset(String text) {
    assertThat(Times.parse(text)).isEmpty();
    assertThat(LiteralFormat.TIME.accepts(text)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"90s, true", "1h30m, true", "-24h, true", "500ms, true", "5 minutes, false", "5, false", "1y, false"})
  void durations(String text, boolean valid) {
    assertThat(LiteralFormat.DURATION.accepts(text)).isEqualTo(valid);
  }
}

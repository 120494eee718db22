package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports for members told about each other before they listen are never the same twice. */
class FreePortsTest {
  @Test
  void aPortIsNeverGivenTwice() throws Exception {
    // The system picks a free port at random in its ephemeral range (about 28,000 on Linux):
    // among 500 picks, two alike are expected about four times (the birthday bound).
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      assertThat(ports.add(FreePorts.next())).as("port %d given twice", i).isTrue();
    }
  }
}

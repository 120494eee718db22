package dev.verdict.server.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Decision and request ids: 32 lower-case hex digits, distinct, and nothing allocated but the string. */
class DecisionIdsTest {
  @Test
  void idsAre32HexDigitsAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = DecisionIds.next();
      assertThat(id).matches("[0-9a-f]{32}");
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void anIdCostsItsStringOnly() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      DecisionIds.next();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      DecisionIds.next();
    }
    long perId = (threads.getCurrentThreadAllocatedBytes() - before) / 10_000;
    // a string of 32 Latin-1 characters: its object and its 32-byte array, 72 bytes with headers;
    // the digits were written into an array of their own first (another 48 bytes)
    assertThat(perId).as("bytes allocated per id").isLessThanOrEqualTo(80);
  }
}

package dev.verdict.server.decision;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Random ids for decisions: 128 bits as hex. They correlate logs and answers; they guard nothing. */
public final class DecisionIds {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[32]);

  private DecisionIds() {}

  public static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    // bytes, not chars: a Latin-1 string is made by one copy, without compressing chars back to
    // bytes; written into this thread's scratch array, so that the string's copy is the only one
    byte[] out = SCRATCH.get();
    long a = r.nextLong();
    long b = r.nextLong();
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
      out[16 + i] = HEX[(int) (b >>> (60 - 4 * i)) & 0xf];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }
}

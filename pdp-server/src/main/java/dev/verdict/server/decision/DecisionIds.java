package dev.verdict.server.decision;

import java.util.concurrent.ThreadLocalRandom;

/** Random ids for decisions: 128 bits as hex. They correlate logs and answers; they guard nothing. */
public final class DecisionIds {
  private DecisionIds() {}

  public static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[32];
    long a = r.nextLong();
    long b = r.nextLong();
    for (int i = 0; i < 16; i++) {
      out[i] = Character.forDigit((int) ((a >>> (60 - 4 * i)) & 0xf), 16);
      out[16 + i] = Character.forDigit((int) ((b >>> (60 - 4 * i)) & 0xf), 16);
    }
    return new String(out);
  }
}

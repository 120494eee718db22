package dev.verdict.lang.rate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Which budget a request consumes: a limit's name and the typed parts of its key, reduced to a
 * fixed-size digest.
 *
 * <p>The parts are encoded unambiguously before hashing: the limit name, then per part its
 * type and its text, each prefixed with its length in bytes. So principal {@code alice|x} on
 * {@code y} and principal {@code alice} on {@code x|y} are different budgets, and so are the
 * string {@code "1"} and the number {@code 1}.
 *
 * <p>Only the first 128 bits of the encoding's SHA-256 are kept ({@link #high}, {@link #low}):
 * a key costs a store the same 16 bytes whether its parts are 5 bytes or 60 KB, and the raw
 * values (an address, a user id) are never held by the store or printed by {@link #toString}.
 * Two distinct keys share a budget only if their digests collide, which needs about 2<sup>64</sup>
 * keys chosen by one caller (and then only merges that caller's own budgets) or 2<sup>128</sup>
 * attempts to land on someone else's.
 */
public final class BudgetKey {

  private final String limit;
  private final long high;
  private final long low;

  private BudgetKey(String limit, long high, long low) {
    this.limit = limit;
    this.high = high;
    this.low = low;
  }

  /** Starts the key of limit {@code limit}. */
  public static Builder of(String limit) {
    return new Builder(limit);
  }

  /** A key with a digest computed elsewhere (a store that receives keys over the wire). */
  public static BudgetKey ofDigest(String limit, long high, long low) {
    return new BudgetKey(Objects.requireNonNull(limit, "limit is null"), high, low);
  }

  /** The limit's name, for diagnostics; it is part of the digest too. */
  public String limit() {
    return limit;
  }

  /** The first 64 bits of the digest. */
  public long high() {
    return high;
  }

  /** The next 64 bits of the digest. */
  public long low() {
    return low;
  }

  /** Equal when the digests are: the limit name is already in them. */
  @Override
  public boolean equals(Object o) {
    return o instanceof BudgetKey k && k.high == high && k.low == low;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high);
  }

  @Override
  public String toString() {
    return "BudgetKey[" + limit + " " + Long.toHexString(high) + Long.toHexString(low) + "]";
  }

  /** Adds the parts of a key in order; the digest is streamed, nothing is copied. */
  public static final class Builder {
    private final String limit;
    private final MessageDigest digest;
    private int parts;

    private Builder(String limit) {
      this.limit = Objects.requireNonNull(limit, "limit is null");
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
      field(limit);
    }

    /**
     * Adds one part.
     *
     * @param type what kind of value it is (e.g. {@code String}, {@code Number}): equal texts
     *     of different types are different keys
     * @param text the value in a canonical text form for its type
     */
    public Builder add(String type, String text) {
      Objects.requireNonNull(type, "type is null");
      Objects.requireNonNull(text, "text is null");
      field(type);
      field(text);
      parts++;
      return this;
    }

    /** Adds a string part. */
    public Builder add(String text) {
      return add("String", text);
    }

    public BudgetKey build() {
      digest.update(ByteBuffer.allocate(4).putInt(parts).array());
      ByteBuffer d = ByteBuffer.wrap(digest.digest());
      return new BudgetKey(limit, d.getLong(), d.getLong());
    }

    private void field(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
      digest.update(bytes);
    }
  }
}

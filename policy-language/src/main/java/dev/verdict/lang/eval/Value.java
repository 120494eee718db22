package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A value a condition computes with. Immutable; records, sets and numbers compare by value
 * ({@code 1.0 == 1}, {@code ["a","b"] == ["b","a"]}).
 */
public sealed interface Value {

  /** The kind's name as users see it in messages: String, Number, Bool, Set, Record, … */
  String kind();

  record Str(String value) implements Value {
    public Str {
      Objects.requireNonNull(value, "value is null");
    }

    // Written out, as the record's own would compute them: the generated methods go through
    // method handles that the JIT did not always inline on the decision path (role sets, `in`).
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Str s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
      return value.hashCode();
    }

    @Override
    public String kind() {
      return "String";
    }
  }

  /** An exact decimal. */
  record Num(BigDecimal value) implements Value {
    public Num {
      Objects.requireNonNull(value, "value is null");
    }

    public static Num of(long v) {
      return new Num(BigDecimal.valueOf(v));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Num n && n.value.compareTo(value) == 0;
    }

    @Override
    public int hashCode() {
      return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
    }

    @Override
    public String kind() {
      return "Number";
    }
  }

  /** Use {@link #TRUE} and {@link #FALSE}; there are no other instances worth making. */
  record Bool(boolean value) implements Value {
    public static final Bool TRUE = new Bool(true);
    public static final Bool FALSE = new Bool(false);

    public static Bool of(boolean b) {
      return b ? TRUE : FALSE;
    }

    @Override
    public String kind() {
      return "Bool";
    }
  }

  /** A set; JSON arrays become sets. Membership and equality by value. */
  record SetOf(Set<Value> items) implements Value {
    public SetOf {
      items = Set.copyOf(items);
    }

    @Override
    public String kind() {
      return "Set";
    }
  }

  record Rec(Map<String, Value> fields) implements Value {
    public Rec {
      fields = Map.copyOf(fields);
    }

    @Override
    public String kind() {
      return "Record";
    }
  }

  /** A reference to an entity; its attributes and parents live in the entity store. */
  record Entity(EntityUid uid) implements Value {
    public Entity {
      Objects.requireNonNull(uid, "uid is null");
    }

    @Override
    public String kind() {
      return "Entity";
    }
  }

  /** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
  record Ip(byte[] address) implements Value {
    public Ip {
      Objects.requireNonNull(address, "address is null");
      address = address.clone();
    }

    @Override
    public byte[] address() {
      return address.clone();
    }

    byte[] raw() {
      return address;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ip ip && Arrays.equals(ip.address, address);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(address);
    }

    @Override
    public String toString() {
      return "Ip[" + Values.formatIp(address) + "]";
    }

    @Override
    public String kind() {
      return "Ip";
    }
  }

  /** An instant, in milliseconds since the epoch (RFC 3339 in and out). */
  record Time(long epochMillis) implements Value {
    @Override
    public String kind() {
      return "Time";
    }
  }

  /** A duration in milliseconds; may be negative. */
  record Dur(long millis) implements Value {
    @Override
    public String kind() {
      return "Duration";
    }
  }
}

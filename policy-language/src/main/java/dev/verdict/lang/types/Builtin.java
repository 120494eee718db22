package dev.verdict.lang.types;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every built-in function of the policy language: its name, parameters and result. This is
 * the single list both the type checker and the evaluator work from; a function is added
 * here first.
 *
 * <p>Parameters that accept {@code Ip|String} or {@code Time|String} take the string form
 * too and parse it with the parameter's {@link LiteralFormat}; a constant string that does
 * not parse is reported before deployment.
 */
public enum Builtin {
  /** Characters of a string, elements of a set or attributes of a record. */
  SIZE("size", Type.NUMBER, param(Type.STRING, Type.ANY_SET, Type.ANY_RECORD)),
  /** Lower case (locale independent). */
  LOWER("lower", Type.STRING, param(Type.STRING)),
  STARTS_WITH("startsWith", Type.BOOL, param(Type.STRING), param(Type.STRING)),
  ENDS_WITH("endsWith", Type.BOOL, param(Type.STRING), param(Type.STRING)),
  /**
   * Whether the set holds the value itself: {@code resource.readers.contains(principal)}.
   * Exact, unlike {@code in}, which also matches an entity through its parents.
   */
  CONTAINS("contains", Type.BOOL, param(Type.ANY_SET), param(Type.ANY)),
  /** Whether the first set holds every element of the second. */
  CONTAINS_ALL("containsAll", Type.BOOL, param(Type.ANY_SET), param(Type.ANY_SET)),
  /** Whether the sets share an element. */
  CONTAINS_ANY("containsAny", Type.BOOL, param(Type.ANY_SET), param(Type.ANY_SET)),
  IP("ip", Type.IP, param(LiteralFormat.IP_ADDRESS, Type.IP, Type.STRING)),
  /** Whether the address is in the range: {@code cidr(context.ip, "10.0.0.0/8")}. */
  CIDR("cidr", Type.BOOL, param(LiteralFormat.IP_ADDRESS, Type.IP, Type.STRING),
      param(LiteralFormat.IP_RANGE, Type.STRING)),
  IS_LOOPBACK("isLoopback", Type.BOOL, param(LiteralFormat.IP_ADDRESS, Type.IP, Type.STRING)),
  IS_MULTICAST("isMulticast", Type.BOOL, param(LiteralFormat.IP_ADDRESS, Type.IP, Type.STRING)),
  /** A duration; a Duration already (a declared attribute) is returned as it is, like {@code ip} and {@code time}. */
  DURATION("duration", Type.DURATION, param(LiteralFormat.DURATION, Type.DURATION, Type.STRING)),
  /** An RFC 3339 time. */
  TIME("time", Type.TIME, param(LiteralFormat.TIME, Type.TIME, Type.STRING)),
  /** The hour, 0 to 23, in UTC. */
  HOUR("hour", Type.NUMBER, param(LiteralFormat.TIME, Type.TIME, Type.STRING)),
  /** The minute of the hour, 0 to 59. */
  MINUTE("minute", Type.NUMBER, param(LiteralFormat.TIME, Type.TIME, Type.STRING)),
  /** The second of the minute, 0 to 59. */
  SECOND("second", Type.NUMBER, param(LiteralFormat.TIME, Type.TIME, Type.STRING)),
  /** The time of day in UTC, as the Duration since midnight: {@code toTime(context.now) < 9h}. */
  TO_TIME("toTime", Type.DURATION, param(LiteralFormat.TIME, Type.TIME, Type.STRING)),
  /** The day, as the Time of its midnight in UTC: {@code toDate(context.now) == time("2024-10-15")}. */
  TO_DATE("toDate", Type.TIME, param(LiteralFormat.TIME, Type.TIME, Type.STRING)),
  /** The ISO day of the week in UTC: 1 is Monday, 7 is Sunday. */
  WEEKDAY("weekday", Type.NUMBER, param(LiteralFormat.TIME, Type.TIME, Type.STRING)),
  /** Whether the first time is strictly before the second. */
  BEFORE("before", Type.BOOL, param(LiteralFormat.TIME, Type.TIME, Type.STRING),
      param(LiteralFormat.TIME, Type.TIME, Type.STRING)),
  /** Whether the first time is strictly after the second. */
  AFTER("after", Type.BOOL, param(LiteralFormat.TIME, Type.TIME, Type.STRING),
      param(LiteralFormat.TIME, Type.TIME, Type.STRING));

  /** One parameter: the types it accepts and, for strings, what they must spell. */
  public record Param(List<Type> accepts, LiteralFormat format) {
    public Param {
      accepts = List.copyOf(accepts);
      Objects.requireNonNull(format, "format is null");
    }

    public boolean accepts(Type t) {
      for (Type a : accepts) {
        if (Type.accepts(a, t)) {
          return true;
        }
      }
      return false;
    }

    /** {@code Ip|String}. */
    public String display() {
      return accepts.stream().map(t -> t == Type.ANY_SET ? "Set" : t.display()).collect(Collectors.joining("|"));
    }
  }

  private final String functionName;
  private final Type result;
  private final List<Param> params;

  Builtin(String functionName, Type result, Param... params) {
    this.functionName = functionName;
    this.result = result;
    this.params = List.of(params);
  }

  private static Param param(Type... accepts) {
    return new Param(Arrays.asList(accepts), LiteralFormat.ANY_TEXT);
  }

  private static Param param(LiteralFormat format, Type... accepts) {
    return new Param(Arrays.asList(accepts), format);
  }

  /** The name written in policies, e.g. {@code startsWith}. */
  public String functionName() {
    return functionName;
  }

  public int arity() {
    return params.size();
  }

  public List<Param> params() {
    return params;
  }

  public Type result() {
    return result;
  }

  /** {@code cidr(Ip|String, String) -> Bool}. */
  public String signature() {
    return functionName + "(" + params.stream().map(Param::display).collect(Collectors.joining(", ")) + ") -> "
        + result.display();
  }

  /** The function called {@code name} (case-sensitive), if there is one. */
  public static Optional<Builtin> lookup(String name) {
    for (Builtin b : values()) {
      if (b.functionName.equals(name)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}

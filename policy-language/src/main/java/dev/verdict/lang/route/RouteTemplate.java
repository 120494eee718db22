package dev.verdict.lang.route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed route path template such as {@code /accounts/{id}/transfers}: literal segments and
 * parameters that each take one whole segment.
 *
 * <p>Templates are written in policies, so {@link #parse} rejects anything the matcher could
 * not honour exactly: empty segments, a trailing slash, {@code .} and {@code ..} segments,
 * characters that a request would have to percent-encode, and parameters that share a segment
 * with literal text. The checker can call {@link #parse} to report {@code V0501} and compare
 * {@link #shape()}s to report overlapping routes.
 */
public final class RouteTemplate {

  private final String text;
  private final List<String> literals;
  private final List<String> paramNames;

  private RouteTemplate(String text, List<String> literals, List<String> paramNames) {
    this.text = text;
    this.literals = literals;
    this.paramNames = paramNames;
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException with a lower-case message naming the problem, when the
   *     template is malformed
   */
  public static RouteTemplate parse(String text) {
    Objects.requireNonNull(text, "text is null");
    if (text.isEmpty() || text.charAt(0) != '/') {
      throw new IllegalArgumentException("route template `" + text + "` does not start with `/`");
    }
    if (text.length() > RouteTable.MAX_PATH_LENGTH) {
      throw new IllegalArgumentException("route template is longer than "
          + RouteTable.MAX_PATH_LENGTH + " characters");
    }
    List<String> literals = new ArrayList<>();
    List<String> params = new ArrayList<>();
    if (text.length() > 1) {
      if (text.endsWith("/")) {
        throw new IllegalArgumentException("route template `" + text + "` ends with `/`");
      }
      String[] segments = text.substring(1).split("/", -1);
      if (segments.length > RouteTable.MAX_SEGMENTS) {
        throw new IllegalArgumentException("route template `" + text + "` has more than "
            + RouteTable.MAX_SEGMENTS + " segments");
      }
      Set<String> seen = new HashSet<>();
      for (String segment : segments) {
        String param = paramName(text, segment);
        if (param != null) {
          if (!seen.add(param)) {
            throw new IllegalArgumentException("route template `" + text + "` names parameter `"
                + param + "` twice");
          }
          literals.add(null);
          params.add(param);
        } else {
          checkLiteral(text, segment);
          literals.add(segment);
          params.add(null);
        }
      }
    }
    return new RouteTemplate(text, nullableCopy(literals), nullableCopy(params));
  }

  private static List<String> nullableCopy(List<String> list) {
    return java.util.Collections.unmodifiableList(new ArrayList<>(list));
  }

  private static String paramName(String text, String segment) {
    boolean opens = segment.startsWith("{");
    boolean closes = segment.endsWith("}");
    if (!opens && !closes && segment.indexOf('{') < 0 && segment.indexOf('}') < 0) {
      return null;
    }
    if (!opens || !closes || segment.length() < 2) {
      throw new IllegalArgumentException("route template `" + text
          + "`: a parameter takes a whole segment, written `{name}`");
    }
    String name = segment.substring(1, segment.length() - 1);
    if (!isIdentifier(name)) {
      throw new IllegalArgumentException("route template `" + text + "`: `" + segment
          + "` is not a parameter name");
    }
    return name;
  }

  private static void checkLiteral(String text, String segment) {
    if (segment.isEmpty()) {
      throw new IllegalArgumentException("route template `" + text + "` has an empty segment");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw new IllegalArgumentException("route template `" + text + "` has a `" + segment
          + "` segment");
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!RequestPath.isPlainChar(c)) {
        throw new IllegalArgumentException("route template `" + text
            + "` contains a character a request would have to percent-encode: `" + c + "`");
      }
    }
  }

  static boolean isIdentifier(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  /** The template as written. */
  public String text() {
    return text;
  }

  /** Parameter names in the order they appear. */
  public List<String> paramNames() {
    List<String> names = new ArrayList<>();
    for (String p : paramNames) {
      if (p != null) {
        names.add(p);
      }
    }
    return List.copyOf(names);
  }

  /**
   * The template with parameter names erased, e.g. {@code /accounts/{}/transfers}: two routes
   * with one method and one shape match exactly the same requests.
   */
  public String shape() {
    if (literals.isEmpty()) {
      return "/";
    }
    StringBuilder b = new StringBuilder();
    for (String literal : literals) {
      b.append('/').append(literal == null ? "{}" : literal);
    }
    return b.toString();
  }

  int segmentCount() {
    return literals.size();
  }

  /** The literal at {@code i}, or null where the segment is a parameter. */
  String literal(int i) {
    return literals.get(i);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteTemplate t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}

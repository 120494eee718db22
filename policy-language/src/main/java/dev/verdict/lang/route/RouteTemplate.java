package dev.verdict.lang.route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed route path template such as {@code /accounts/{id}/transfers}: literal segments and
 * parameters that each take one whole segment. The one parser of templates: the checker reports
 * its {@link Problem}s as {@code V0501} (with a caret on the offending part) and the route
 * table builds from what it accepts, so a set that passes the checker always builds.
 *
 * <p>Templates are written in policies, so it rejects anything the matcher could not honour
 * exactly: empty segments, a trailing slash, {@code .} and {@code ..} segments, a query or
 * fragment, characters that a request would have to percent-encode, and parameters that share
 * a segment with literal text.
 */
public final class RouteTemplate {

  /** A literal segment, or a parameter when {@code param} is set. */
  public record Segment(String literal, String param) {
    public boolean isParam() {
      return param != null;
    }
  }

  /** What is wrong, where in the template ({@code [from, to)} in code points), and the fix. */
  public record Problem(String message, String help, int from, int to) {}

  private final String text;
  private final List<Segment> segments;
  private final Problem problem;

  private RouteTemplate(String text, List<Segment> segments, Problem problem) {
    this.text = text;
    this.segments = segments;
    this.problem = problem;
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException with the {@link Problem}'s lower-case message, when the
   *     template is malformed
   */
  public static RouteTemplate parse(String text) {
    RouteTemplate t = read(text);
    if (t.problem != null) {
      throw new IllegalArgumentException(t.problem.message());
    }
    return t;
  }

  /** Parses a template; a malformed one comes back with its {@link #problem()} and no segments. */
  public static RouteTemplate read(String text) {
    Objects.requireNonNull(text, "text is null");
    int[] cps = text.codePoints().toArray();
    int length = cps.length;
    if (length == 0) {
      return fail(text, "route template is empty", "a template starts with `/`, e.g. `/accounts/{id}`", 0, 0);
    }
    if (cps[0] != '/') {
      return fail(text, "route template `" + text + "` does not start with `/`", "write `/" + text + "`", 0, 1);
    }
    if (text.length() > RouteTable.MAX_PATH_LENGTH) {
      return fail(text, "route template is longer than " + RouteTable.MAX_PATH_LENGTH + " characters",
          "shorten it; requests with longer paths are refused", 0, length);
    }
    for (int i = 0; i < length; i++) {
      int c = cps[i];
      if (c == '?') {
        return fail(text, "route template contains a query (`?`)",
            "a route matches the path only; test query parameters in a condition instead", i, length);
      }
      if (c == '#') {
        return fail(text, "route template contains a fragment (`#`)", "fragments are never sent to a server; remove it",
            i, length);
      }
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return fail(text, "route template contains a space or control character", PLAIN_HELP, i, i + 1);
      }
    }
    if (length == 1) {
      return new RouteTemplate(text, List.of(), null);
    }
    List<Segment> segments = new ArrayList<>();
    Set<String> params = new HashSet<>();
    int start = 1;
    while (start <= length) {
      int end = start;
      while (end < length && cps[end] != '/') {
        end++;
      }
      String seg = new String(cps, start, end - start);
      if (seg.isEmpty()) {
        if (end == length) {
          return fail(text, "route template ends with `/`", "remove the trailing `/`; paths are matched without it",
              start - 1, start);
        }
        return fail(text, "route template has an empty segment (`//`)", "remove the extra `/`", start - 1, start + 1);
      }
      if (segments.size() == RouteTable.MAX_SEGMENTS) {
        return fail(text, "route template `" + text + "` has more than " + RouteTable.MAX_SEGMENTS + " segments",
            "requests with more segments are refused; shorten the template", start - 1, length);
      }
      if (seg.equals(".") || seg.equals("..")) {
        return fail(text, "route template has a `" + seg + "` segment",
            "dot segments are resolved away before matching; write the path without them", start, end);
      }
      if (seg.indexOf('{') >= 0 || seg.indexOf('}') >= 0) {
        if (!(seg.startsWith("{") && seg.endsWith("}") && seg.length() >= 2
            && seg.indexOf('{', 1) < 0 && seg.indexOf('}') == seg.length() - 1)) {
          return fail(text, "route parameter must be a whole segment",
              "a parameter fills everything between two `/`, e.g. `/files/{name}`", start, end);
        }
        String name = seg.substring(1, seg.length() - 1);
        if (name.isEmpty()) {
          return fail(text, "route parameter has no name", "write e.g. `{id}`", start, end);
        }
        if (!isIdentifier(name)) {
          return fail(text, "route parameter `{" + name + "}` has an invalid name",
              "use letters, digits and `_`, starting with a letter or `_`", start + 1, end - 1);
        }
        if (!params.add(name)) {
          return fail(text, "route parameter `" + name + "` appears twice", "give each parameter a different name",
              start + 1, end - 1);
        }
        segments.add(new Segment(null, name));
      } else {
        for (int i = start; i < end; i++) {
          if (cps[i] > 0xFFFF || !RequestPath.isPlainChar((char) cps[i])) {
            return fail(text, "route template contains a character a request would have to percent-encode: `"
                + new String(cps, i, 1) + "`", PLAIN_HELP, i, i + 1);
          }
        }
        segments.add(new Segment(seg, null));
      }
      start = end + 1;
    }
    return new RouteTemplate(text, List.copyOf(segments), null);
  }

  /** Requests' segments are decoded before matching, so a literal can only hold what needs no encoding. */
  private static final String PLAIN_HELP = "a literal segment holds letters, digits and `-._~!$&'()*+,=:@` only;"
      + " write e.g. `-` instead, or make the segment a parameter";

  private static RouteTemplate fail(String text, String message, String help, int from, int to) {
    return new RouteTemplate(text, List.of(), new Problem(message, help, from, to));
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

  /** What is wrong with the template; empty for a valid one. */
  public Optional<Problem> problem() {
    return Optional.ofNullable(problem);
  }

  /** The template as written. */
  public String text() {
    return text;
  }

  /** The segments, in order; empty for {@code /} and for a malformed template. */
  public List<Segment> segments() {
    return segments;
  }

  /** Parameter names in the order they appear. */
  public List<String> paramNames() {
    List<String> names = new ArrayList<>();
    for (Segment s : segments) {
      if (s.isParam()) {
        names.add(s.param());
      }
    }
    return List.copyOf(names);
  }

  /**
   * The template with parameter names erased, e.g. {@code /accounts/{}/transfers}: two routes
   * with one method and one shape match exactly the same requests.
   */
  public String shape() {
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder b = new StringBuilder();
    for (Segment s : segments) {
      b.append('/').append(s.isParam() ? "{}" : s.literal());
    }
    return b.toString();
  }

  int segmentCount() {
    return segments.size();
  }

  /** The literal at {@code i}, or null where the segment is a parameter. */
  String literal(int i) {
    return segments.get(i).literal();
  }

  /**
   * The segments of a concrete request path, ignoring any query or fragment and one trailing
   * {@code /}; empty when the path does not start with {@code /}.
   */
  public static Optional<List<String>> pathSegments(String path) {
    String p = RouteTable.pathOf(path);
    if (!p.startsWith("/")) {
      return Optional.empty();
    }
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.equals("/")) {
      return Optional.of(List.of());
    }
    return Optional.of(List.of(p.substring(1).split("/", -1)));
  }

  /** Whether this (valid) template matches a concrete path's segments. */
  public boolean matches(List<String> path) {
    if (problem != null || path.size() != segments.size()) {
      return false;
    }
    for (int i = 0; i < path.size(); i++) {
      Segment s = segments.get(i);
      if (s.isParam() ? path.get(i).isEmpty() : !s.literal().equals(path.get(i))) {
        return false;
      }
    }
    return true;
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

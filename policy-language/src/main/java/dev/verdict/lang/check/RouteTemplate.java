package dev.verdict.lang.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A route path template such as {@code /accounts/{id}/transfers}, split into segments, or
 * the first thing wrong with it. Offsets in a {@link Problem} count code points of the
 * template, so a caret can be put on the offending part.
 */
final class RouteTemplate {
  /** A literal segment, or a parameter when {@code param} is set. */
  record Segment(String literal, String param) {
    boolean isParam() {
      return param != null;
    }
  }

  /** What is wrong, where in the template ({@code [from, to)} in code points), and the fix. */
  record Problem(String message, String help, int from, int to) {}

  private final List<Segment> segments;
  private final Problem problem;

  private RouteTemplate(List<Segment> segments, Problem problem) {
    this.segments = segments;
    this.problem = problem;
  }

  List<Segment> segments() {
    return segments;
  }

  Optional<Problem> problem() {
    return Optional.ofNullable(problem);
  }

  List<String> params() {
    List<String> out = new ArrayList<>();
    for (Segment s : segments) {
      if (s.isParam()) {
        out.add(s.param());
      }
    }
    return out;
  }

  static RouteTemplate parse(String template) {
    int[] cps = template.codePoints().toArray();
    int length = cps.length;
    if (length == 0) {
      return fail("route template is empty", "a template starts with `/`, e.g. `/accounts/{id}`", 0, 0);
    }
    if (cps[0] != '/') {
      return fail("route template `" + template + "` does not start with `/`", "write `/" + template + "`", 0, 1);
    }
    for (int i = 0; i < length; i++) {
      int c = cps[i];
      if (c == '?') {
        return fail("route template contains a query (`?`)",
            "a route matches the path only; test query parameters in a condition instead", i, length);
      }
      if (c == '#') {
        return fail("route template contains a fragment (`#`)", "fragments are never sent to a server; remove it", i, length);
      }
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return fail("route template contains a space or control character",
            "percent-encode it, e.g. a space as `%20`", i, i + 1);
      }
    }
    List<Segment> segments = new ArrayList<>();
    Set<String> params = new HashSet<>();
    if (length == 1) {
      return new RouteTemplate(List.of(), null);
    }
    int start = 1;
    while (start <= length) {
      int end = start;
      while (end < length && cps[end] != '/') {
        end++;
      }
      String seg = new String(cps, start, end - start);
      if (seg.isEmpty()) {
        if (end == length) {
          return fail("route template ends with `/`", "remove the trailing `/`; paths are matched without it",
              start - 1, start);
        }
        return fail("route template has an empty segment (`//`)", "remove the extra `/`", start - 1, start + 1);
      }
      if (seg.equals(".") || seg.equals("..")) {
        return fail("route template has a `" + seg + "` segment",
            "dot segments are resolved away before matching; write the path without them", start, end);
      }
      if (seg.indexOf('{') >= 0 || seg.indexOf('}') >= 0) {
        if (!(seg.startsWith("{") && seg.endsWith("}") && seg.length() >= 2
            && seg.indexOf('{', 1) < 0 && seg.indexOf('}') == seg.length() - 1)) {
          return fail("route parameter must be a whole segment",
              "a parameter fills everything between two `/`, e.g. `/files/{name}`", start, end);
        }
        String name = seg.substring(1, seg.length() - 1);
        if (name.isEmpty()) {
          return fail("route parameter has no name", "write e.g. `{id}`", start, end);
        }
        if (!isName(name)) {
          return fail("route parameter `{" + name + "}` has an invalid name",
              "use letters, digits and `_`, starting with a letter or `_`", start + 1, end - 1);
        }
        if (!params.add(name)) {
          return fail("route parameter `" + name + "` appears twice", "give each parameter a different name",
              start + 1, end - 1);
        }
        segments.add(new Segment(null, name));
      } else {
        segments.add(new Segment(seg, null));
      }
      start = end + 1;
    }
    return new RouteTemplate(List.copyOf(segments), null);
  }

  private static RouteTemplate fail(String message, String help, int from, int to) {
    return new RouteTemplate(List.of(), new Problem(message, help, from, to));
  }

  private static boolean isName(String s) {
    if (!(Character.isLetter(s.charAt(0)) && s.charAt(0) < 128 || s.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The segments of a concrete request path, ignoring any query or fragment and one trailing
   * {@code /}; empty when the path does not start with {@code /}.
   */
  static Optional<List<String>> pathSegments(String path) {
    int cut = path.length();
    int q = path.indexOf('?');
    int h = path.indexOf('#');
    if (q >= 0) {
      cut = q;
    }
    if (h >= 0) {
      cut = Math.min(cut, h);
    }
    String p = path.substring(0, cut);
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
  boolean matches(List<String> path) {
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
}

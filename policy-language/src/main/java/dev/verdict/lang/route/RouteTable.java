package dev.verdict.lang.route;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps an HTTP method and request target to the route that declares it.
 *
 * <p>Built once from a policy set's routes into a trie with one node per path segment: each
 * node has a map of literal children and at most one parameter child, and literal segments
 * win over a parameter at the same node. The search backtracks to the parameter child when a
 * literal branch finds no route for the method, but since it walks a tree one segment per
 * level it visits each node at most once, so a match costs at most the size of the trie and
 * usually just the path's length in map lookups.
 *
 * <p>Methods match exactly (they are case-sensitive tokens); {@code HEAD} falls back to the
 * {@code GET} route of a path that has no {@code HEAD} route. How request paths are split,
 * decoded, normalised and refused is described on {@link #match}.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class RouteTable {

  /** The longest request target accepted, in characters, query included. */
  public static final int MAX_PATH_LENGTH = 4096;
  /** The most non-empty path segments accepted. */
  public static final int MAX_SEGMENTS = 64;

  private static final RouteTable EMPTY = new RouteTable(List.of(), Node.EMPTY, false);

  private final List<Route> routes;
  private final Node root;
  private final boolean encodedSlashes;

  private RouteTable(List<Route> routes, Node root, boolean encodedSlashes) {
    this.routes = routes;
    this.root = root;
    this.encodedSlashes = encodedSlashes;
  }

  /** A table with no routes: every request is unmatched. */
  /** The path of a request target: what comes before its query ({@code ?}) or fragment ({@code #}). */
  public static String pathOf(String target) {
    int end = target.length();
    int q = target.indexOf('?');
    if (q >= 0) {
      end = q;
    }
    int h = target.indexOf('#');
    if (h >= 0 && h < end) {
      end = h;
    }
    return target.substring(0, end);
  }

  public static RouteTable empty() {
    return EMPTY;
  }

  /**
   * Builds the table.
   *
   * @throws IllegalArgumentException when a method is not an upper-case token, a template is
   *     malformed (see {@link RouteTemplate#parse}), a route's id parameter is not in its
   *     template, or two routes have the same method and shape; these are the checker's
   *     {@code V0501}-{@code V0504}, which it can find with {@link RouteTemplate}, so a set
   *     that passed the checker should never fail here
   */
  public static RouteTable build(List<Route> routes) {
    return build(routes, false);
  }

  /**
   * Builds the table, choosing whether an encoded slash ({@code %2F}) may appear inside a
   * parameter value. Refusing it is the default: a back end that decodes the path before
   * routing would read {@code /admin/users/u1%2Froles} as {@code /admin/users/u1/roles}, a path
   * no route declares. Allow it only when every back end behind the gateway keeps {@code %2F}
   * inside the segment (an id that may contain {@code /}, such as a file path).
   *
   * @throws IllegalArgumentException as {@link #build(List)}
   */
  public static RouteTable build(List<Route> routes, boolean allowEncodedSlashes) {
    Objects.requireNonNull(routes, "routes is null");
    Node.Builder root = new Node.Builder();
    Map<String, Route> byMethodAndShape = new HashMap<>();
    for (Route route : routes) {
      String method = route.method();
      if (!isMethodToken(method)) {
        throw new IllegalArgumentException("`" + method + "` is not an HTTP method in upper case");
      }
      RouteTemplate template = RouteTemplate.parse(route.template());
      Route previous = byMethodAndShape.putIfAbsent(method + " " + template.shape(), route);
      if (previous != null) {
        throw new IllegalArgumentException("routes `" + method + " " + previous.template()
            + "` and `" + method + " " + template.text() + "` match the same requests");
      }
      List<String> names = template.paramNames();
      int idIndex = -1;
      if (route.idParam().isPresent()) {
        idIndex = names.indexOf(route.idParam().get());
        if (idIndex < 0) {
          throw new IllegalArgumentException("route `" + method + " " + template.text()
              + "` has no parameter `" + route.idParam().get() + "`");
        }
      }
      Node.Builder node = root;
      for (int i = 0; i < template.segmentCount(); i++) {
        node = node.child(template.literal(i));
      }
      node.methods.put(method, new Target(route, names.toArray(new String[0]), idIndex));
    }
    return new RouteTable(List.copyOf(routes), root.build(), allowEncodedSlashes);
  }

  private static boolean isMethodToken(String method) {
    if (method.isEmpty() || method.length() > 32) {
      return false;
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  /** The routes the table was built from, in declaration order. */
  public List<Route> routes() {
    return routes;
  }

  /**
   * Finds the route for a request.
   *
   * <p>The target is normalised, never in a way that could lead around a route:
   * <ul>
   *   <li>the query string and fragment are stripped;
   *   <li>the path is split on raw {@code /} and each segment percent-decoded afterwards (UTF-8),
   *       so {@code %2F} never separates segments; a segment holding one is refused unless the
   *       table was built to allow it ({@link #build(List, boolean)});
   *   <li>empty segments are dropped: {@code //} collapses and one trailing {@code /} is ignored.
   * </ul>
   * It is refused ({@link RouteMatch.Reason#REFUSED_PATH}) when it is empty, longer than
   * {@value #MAX_PATH_LENGTH} characters or has more than {@value #MAX_SEGMENTS} segments, does
   * not start with {@code /}, or has: a {@code .} or {@code ..} segment, raw or encoded (also
   * inside a decoded segment around an encoded {@code /}); malformed percent-encoding; encoded
   * bytes that are not UTF-8; control characters, raw or encoded; a backslash, raw or encoded;
   * a raw {@code ;}; a raw non-ASCII character or any other character RFC 3986 requires to be
   * encoded; decoded characters whose compatibility form is a separator or dot segment.
   * Literal segments compare case-sensitively with the decoded segment, so {@code /%61ccounts}
   * is {@code /accounts} but {@code /ACCOUNTS} is not.
   *
   * <p>Never throws: null arguments are refused too.
   */
  public RouteMatch match(String method, String rawPathAndQuery) {
    if (method == null || rawPathAndQuery == null) {
      return new RouteMatch.Unmatched(RouteMatch.Reason.REFUSED_PATH,
          "the request has no method or no path", Set.of());
    }
    RequestPath path = RequestPath.parse(rawPathAndQuery, encodedSlashes);
    if (path.refusal() != null) {
      return new RouteMatch.Unmatched(RouteMatch.Reason.REFUSED_PATH, path.refusal(), Set.of());
    }
    int[] captures = new int[path.count()];
    Target target = find(root, path, 0, captures, 0, method);
    if (target != null) {
      return target.toMatch(path, captures);
    }
    Set<String> allowed = new TreeSet<>();
    collectMethods(root, path, 0, allowed);
    if (allowed.isEmpty()) {
      return new RouteMatch.Unmatched(RouteMatch.Reason.NO_ROUTE, "no route matches the path", Set.of());
    }
    return new RouteMatch.Unmatched(RouteMatch.Reason.METHOD_NOT_ALLOWED,
        "no route for this method matches the path", allowed);
  }

  /**
   * Depth-first, literal child before parameter child. {@code captures} records which segments
   * the parameters took, in path order; a failed branch's entries are overwritten by the
   * branch that succeeds.
   */
  private static Target find(Node node, RequestPath path, int i, int[] captures, int captured,
      String method) {
    if (i == path.count()) {
      Target target = node.methods.get(method);
      if (target == null && "HEAD".equals(method)) {
        target = node.methods.get("GET");
      }
      return target;
    }
    Node literal = node.literals.get(path, i);
    if (literal != null) {
      Target found = find(literal, path, i + 1, captures, captured, method);
      if (found != null) {
        return found;
      }
    }
    if (node.param != null) {
      captures[captured] = i;
      return find(node.param, path, i + 1, captures, captured + 1, method);
    }
    return null;
  }

  private static void collectMethods(Node node, RequestPath path, int i, Set<String> into) {
    if (i == path.count()) {
      into.addAll(node.methods.keySet());
      if (node.methods.containsKey("GET")) {
        into.add("HEAD");
      }
      return;
    }
    Node literal = node.literals.get(path, i);
    if (literal != null) {
      collectMethods(literal, path, i + 1, into);
    }
    if (node.param != null) {
      collectMethods(node.param, path, i + 1, into);
    }
  }

  @Override
  public String toString() {
    return "RouteTable[" + routes.size() + " routes]";
  }

  /** One trie node; immutable once built. */
  private static final class Node {
    static final Node EMPTY = new Node(SegmentMap.of(Map.of()), null, Map.of());

    final SegmentMap<Node> literals;
    final Node param;
    final Map<String, Target> methods;

    private Node(SegmentMap<Node> literals, Node param, Map<String, Target> methods) {
      this.literals = literals;
      this.param = param;
      this.methods = methods;
    }

    static final class Builder {
      final Map<String, Builder> literals = new HashMap<>();
      Builder param;
      final Map<String, Target> methods = new HashMap<>();

      Builder child(String literal) {
        if (literal == null) {
          if (param == null) {
            param = new Builder();
          }
          return param;
        }
        return literals.computeIfAbsent(literal, k -> new Builder());
      }

      Node build() {
        Map<String, Node> built = new HashMap<>();
        literals.forEach((k, v) -> built.put(k, v.build()));
        return new Node(SegmentMap.of(built), param == null ? null : param.build(), Map.copyOf(methods));
      }
    }
  }

  /** A route at a terminal node, with everything a match needs precomputed. */
  private static final class Target {
    final Route route;
    final String resourceType;
    final String action;
    final Optional<String> intent;
    final String[] paramNames;
    final int idIndex;
    final Optional<String> fixedId;

    Target(Route route, String[] paramNames, int idIndex) {
      this.fixedId = route.fixedId();
      this.route = route;
      this.resourceType = route.resourceType();
      this.action = route.action();
      this.intent = route.intent();
      this.paramNames = paramNames;
      this.idIndex = idIndex;
    }

    RouteMatch.Matched toMatch(RequestPath path, int[] captures) {
      Map<String, String> params;
      String id = null;
      if (paramNames.length == 0) {
        params = Map.of();
      } else if (paramNames.length == 1) {
        id = path.text(captures[0]);
        params = Map.of(paramNames[0], id);
      } else {
        Map<String, String> ordered = new LinkedHashMap<>(paramNames.length * 2);
        for (int i = 0; i < paramNames.length; i++) {
          String value = path.text(captures[i]);
          ordered.put(paramNames[i], value);
          if (i == idIndex) {
            id = value;
          }
        }
        params = Collections.unmodifiableMap(ordered);
      }
      Optional<String> resourceId = idIndex < 0 ? fixedId : Optional.of(id);
      return new RouteMatch.Matched(resourceType, resourceId, action, intent, params, route);
    }
  }
}

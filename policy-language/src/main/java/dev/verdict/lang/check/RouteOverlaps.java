package dev.verdict.lang.check;

import dev.verdict.lang.route.RouteTemplate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds routes that can match the same request: equal methods, the same number of segments,
 * and at every segment equal literals or a parameter on either side. Routes are grouped by
 * method and segment count, and each group is a trie whose parameter segments are one
 * wildcard edge, so a route is compared only with routes sharing its literal prefixes
 * instead of with all others; a set of 1,000 routes is checked in well under a millisecond
 * in the usual case.
 */
final class RouteOverlaps {
  /** A route to compare: its method and the segments of its (valid) template. */
  record Route(String method, List<RouteTemplate.Segment> segments) {}

  private static final class Node {
    final Map<String, Node> literals = new HashMap<>();
    Node param;
    int first = -1; // the earliest route ending here
  }

  private RouteOverlaps() {}

  /**
   * For each route, the index of the earliest route before it that overlaps it, or -1. Each
   * route is reported against one earlier route only, so a set where every route overlaps
   * every other yields n reports, not n².
   */
  static int[] earliestOverlaps(List<Route> routes) {
    Map<String, Node> tries = new HashMap<>();
    int[] out = new int[routes.size()];
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      Node root = tries.computeIfAbsent(r.method() + " " + r.segments().size(), k -> new Node());
      out[i] = find(root, r.segments());
      insert(root, r.segments(), i);
    }
    return out;
  }

  private static int find(Node root, List<RouteTemplate.Segment> segs) {
    int best = -1;
    Deque<Node> nodes = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    nodes.push(root);
    depths.push(0);
    while (!nodes.isEmpty()) {
      Node n = nodes.pop();
      int depth = depths.pop();
      if (depth == segs.size()) {
        if (n.first >= 0 && (best < 0 || n.first < best)) {
          best = n.first;
        }
        continue;
      }
      RouteTemplate.Segment s = segs.get(depth);
      if (s.isParam()) {
        for (Node child : n.literals.values()) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      } else {
        Node child = n.literals.get(s.literal());
        if (child != null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
      if (n.param != null) {
        nodes.push(n.param);
        depths.push(depth + 1);
      }
    }
    return best;
  }

  private static void insert(Node root, List<RouteTemplate.Segment> segs, int index) {
    Node n = root;
    for (RouteTemplate.Segment s : segs) {
      if (s.isParam()) {
        if (n.param == null) {
          n.param = new Node();
        }
        n = n.param;
      } else {
        n = n.literals.computeIfAbsent(s.literal(), k -> new Node());
      }
    }
    if (n.first < 0) {
      n.first = index;
    }
  }

  /** A concrete path both templates match, e.g. {@code /accounts/search}; for help lines. */
  static String witness(List<RouteTemplate.Segment> a, List<RouteTemplate.Segment> b) {
    if (a.isEmpty()) {
      return "/";
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      RouteTemplate.Segment x = a.get(i);
      RouteTemplate.Segment y = b.get(i);
      parts.add(!x.isParam() ? x.literal() : !y.isParam() ? y.literal() : "x");
    }
    return "/" + String.join("/", parts);
  }
}

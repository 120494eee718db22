package dev.verdict.sdk;

/** What the engine's route check puts in {@code context.path}: the target without its query or fragment. */
final class RouteRequests {
  private RouteRequests() {}

  static String pathOf(String target) {
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
}

package dev.verdict.server.decision;

/**
 * The ISO-8601 text of a millisecond instant, kept for the last millisecond asked: at tens of
 * thousands of decisions a second most ask for the same one, and formatting an instant costs
 * more than the rest of a simple decision's bookkeeping.
 */
final class InstantText {
  private record Last(long millis, String text) {}

  // Racing threads may both format and overwrite; either result is correct.
  private volatile Last last = new Last(Long.MIN_VALUE, "");

  String of(long millis) {
    Last l = last;
    if (l.millis() == millis) {
      return l.text();
    }
    String text = java.time.Instant.ofEpochMilli(millis).toString();
    last = new Last(millis, text);
    return text;
  }
}

package dev.verdict.lang.eval;

import dev.verdict.lang.rate.FailMode;

import dev.verdict.lang.source.Span;

/** A {@code limit}, planned: its key expressions and its rate lines. */
final class CompiledLimit {
  final String name;
  final String intent;
  final Span span;
  final Node[] keys;
  final Line[] lines;
  /** What applies when the budget store cannot answer. */
  final FailMode unavailable;

  /**
   * {@code count per period burst b when …}; {@code when} null for an unconditional line;
   * {@code window} for {@code count per period window}.
   */
  record Line(long count, long periodMillis, long burst, Node when, Span span, boolean window) {}

  CompiledLimit(String name, String intent, Span span, Node[] keys, Line[] lines, FailMode unavailable) {
    this.unavailable = unavailable;
    this.name = name;
    this.intent = intent;
    this.span = span;
    this.keys = keys;
    this.lines = lines;
  }
}

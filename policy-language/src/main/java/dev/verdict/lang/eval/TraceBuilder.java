package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.List;

/** Collects trace steps during one explained decision. */
final class TraceBuilder {
  private final List<Trace.Step> steps = new ArrayList<>();

  void add(String kind, String id, Span span, Trace.Status status, String detail) {
    steps.add(new Trace.Step(kind, id, span, status, detail));
  }

  void add(String kind, String id, Span span, java.util.Map<String, String> annotations, Trace.Status status,
      String detail) {
    steps.add(new Trace.Step(kind, id, span, status, detail, annotations));
  }

  Trace build() {
    return new Trace(steps);
  }
}

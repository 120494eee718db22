package dev.verdict.sdk;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The answers given when the decision point gave none: the application's fallback, else a deny. */
final class Closed {
  private Closed() {}

  /** {@link #answer} for every resource and action of a batch, resource-major. */
  static java.util.List<Decision> answers(Fallback fallback, Masks masks, Principal p, java.util.List<Resource> resources,
      java.util.List<String> actions, String why) {
    java.util.List<Decision> out = new java.util.ArrayList<>();
    for (Resource r : resources) {
      for (String a : actions) {
        out.add(answer(fallback, masks, p, r, a, why));
      }
    }
    return out;
  }

  static Decision answer(Fallback fallback, Masks masks, Principal p, Resource r, String action, String why) {
    if (fallback == null) {
      return Decision.failed(why, masks);
    }
    try {
      Decision d = fallback.decide(p, r, action, why);
      return d == null ? Decision.failed(why + "; the fallback answered null", masks) : d.withMasks(masks);
    } catch (RuntimeException e) {
      return Decision.failed(why + "; the fallback failed: " + e.getClass().getSimpleName(), masks);
    }
  }

  /** A request no route declares: the policy's deny, not a failure. */
  static Decision unrouted(Enum<?> reason, String version, Masks masks) {
    String word = reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return new Decision(Decision.Outcome.DENY, List.of(word), List.of(), Map.of(), Set.of(), Optional.empty(), version,
        "", Optional.empty(), masks);
  }
}

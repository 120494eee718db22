package dev.verdict.server.gateway;

import dev.verdict.server.auth.TokenRejected;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code verdict_jwt_failures_total{reason}}: refused bearer tokens by reason. The reasons are
 * a closed set, so the counters are made up front and a request never registers a series.
 */
final class JwtFailures {
  private final Map<TokenRejected.Reason, Counter> counters = new EnumMap<>(TokenRejected.Reason.class);

  JwtFailures(MeterRegistry registry) {
    for (TokenRejected.Reason r : TokenRejected.Reason.values()) {
      counters.put(r, Counter.builder("verdict.jwt.failures").description("Bearer tokens refused, by reason")
          .tag("reason", r.code()).register(registry));
    }
  }

  void count(TokenRejected.Reason reason) {
    counters.get(reason).increment();
  }
}

package dev.verdict.server.auth;

/**
 * What a JWKS load or fetch achieved: whether signing keys are available, how many, and if not,
 * why (a lower-case sentence for logs and readiness output).
 */
public record JwksStatus(boolean available, int keyCount, String message) {
  static JwksStatus ok(int keyCount) {
    return new JwksStatus(true, keyCount, keyCount + " signing key" + (keyCount == 1 ? "" : "s") + " loaded");
  }

  static JwksStatus unavailable(String message) {
    return new JwksStatus(false, 0, message);
  }
}

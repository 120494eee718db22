package dev.verdict.lang.eval;

import java.util.Set;

/**
 * The context keys Verdict itself sets or reads: a caller's own values under these names are
 * replaced ({@link #NOW}) or checked ({@link #INTENT}), and token claims may not be mapped onto
 * them.
 */
public final class ContextKeys {
  /** The time of the decision, always the engine's clock. */
  public static final String NOW = "now";
  /** The business intent of the call, whose limits apply. */
  public static final String INTENT = "intent";
  /** The client's address, as the gateway saw it. */
  public static final String IP = "ip";
  /** The HTTP method of a routed request. */
  public static final String METHOD = "method";
  /** The path of a routed request, without its query. */
  public static final String PATH = "path";
  /** The parameters a route bound, by name. */
  public static final String PARAMS = "params";

  /** All of them. */
  public static final Set<String> RESERVED = Set.of(NOW, INTENT, IP, METHOD, PATH, PARAMS);

  private ContextKeys() {}
}

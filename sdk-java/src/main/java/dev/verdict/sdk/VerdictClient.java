package dev.verdict.sdk;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Asks Verdict for decisions, from a remote decision point or evaluating in-process; both modes
 * answer the same questions the same way.
 *
 * <pre>{@code
 * VerdictClient verdict = VerdictClient.remote(URI.create("http://127.0.0.1:8181")).apiKey(key).build();
 * Decision d = verdict.check(Principal.of("alice").roles("customer").attr("tenant", "bank1"),
 *     Resource.of("Account", "A-1001").attr("owner", "alice").attr("tenant", "bank1"), "read");
 * if (d.allowed()) return d.applyReadMask(account);
 * }</pre>
 *
 * <p>Fail closed: no method throws because the decision point is down, slow or answered
 * something unreadable; the answer is then a deny whose {@link Decision#failure()} says why
 * (or the application's {@link Fallback}). Invalid arguments (a null principal) are programming
 * errors and do throw. Thread-safe; make one per application and close it on shutdown.
 */
public interface VerdictClient extends AutoCloseable {

  /** A client of the decision points at these addresses, tried in order (health-aware failover). */
  static RemoteBuilder remote(URI... endpoints) {
    return new RemoteBuilder(List.of(endpoints));
  }

  /** A client evaluating the policy set in {@code policies} in this process, reloading it on change. */
  static EmbeddedBuilder embedded(Path policies) {
    return new EmbeddedBuilder(policies);
  }

  /** May {@code principal} do {@code action} on {@code resource}? */
  default Decision check(Principal principal, Resource resource, String action) {
    return check(principal, resource, action, Map.of());
  }

  /** The same, with context attributes ({@code mfa}, {@code ip}); {@code now} is always the decision point's. */
  default Decision check(Principal principal, Resource resource, String action, Map<String, ?> context) {
    return checkAsync(principal, resource, action, context).join();
  }

  /**
   * Every action on every resource, in one round trip and against one policy version; the
   * answers in resource-major order ({@code resources[0]} with each action, then
   * {@code resources[1]} …). Repeated actions are asked once.
   */
  default List<Decision> checkAll(Principal principal, List<Resource> resources, List<String> actions) {
    return checkAllAsync(principal, resources, actions, Map.of()).join();
  }

  default CompletableFuture<Decision> checkAsync(Principal principal, Resource resource, String action) {
    return checkAsync(principal, resource, action, Map.of());
  }

  /** Completes, never exceptionally, with the decision (a closed one on failure). */
  CompletableFuture<Decision> checkAsync(Principal principal, Resource resource, String action,
      Map<String, ?> context);

  /** Completes, never exceptionally, with one decision per pair (closed ones on failure). */
  CompletableFuture<List<Decision>> checkAllAsync(Principal principal, List<Resource> resources,
      List<String> actions, Map<String, ?> context);

  /**
   * May {@code principal} make this HTTP request? The policy set's routes give the resource,
   * its id, the action and the intent, as the gateway check does: a path no route declares is
   * denied (reason {@code no-route}). In remote mode this needs the route table locally (see
   * {@link RemoteBuilder#routes(Path)}), since the server's gateway endpoint takes end-user
   * tokens, not a service's credentials.
   */
  default Decision check(String method, String pathAndQuery, Principal principal) {
    return check(method, pathAndQuery, principal, Map.of());
  }

  /** The same, with context attributes the transport knows ({@code ip}, {@code mfa}). */
  Decision check(String method, String pathAndQuery, Principal principal, Map<String, ?> context);

  /**
   * The query plan of a list endpoint: under which condition on a resource of
   * {@code resourceType} the principal may {@code action} it, for a database filter
   * ({@link dev.verdict.sdk.plan.SqlWhere}). Never throws for an unreachable or unreadable PDP:
   * the answer is then {@code ALWAYS_DENIED} with a {@link dev.verdict.sdk.plan.PlanFilter#failure()}
   * saying why (list nothing); so is a plan the rules cannot express, whose failure says to decide
   * per resource instead.
   */
  default dev.verdict.sdk.plan.PlanFilter plan(Principal principal, String resourceType, String action) {
    return plan(principal, resourceType, action, Map.of());
  }

  /** {@link #plan(Principal, String, String)} with a request context. */
  dev.verdict.sdk.plan.PlanFilter plan(Principal principal, String resourceType, String action, Map<String, ?> context);

  @Override
  void close();
}

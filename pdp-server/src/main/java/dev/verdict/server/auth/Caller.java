package dev.verdict.server.auth;

import java.util.Objects;
import java.util.Set;

/** Who is asking: the configured name of their key or client certificate, and its scopes. */
public record Caller(String name, Set<Scope> scopes) {
  /** The caller of a server with no credentials configured (it then listens on loopback only). */
  public static final Caller ANONYMOUS = new Caller("anonymous", Set.of(Scope.DECIDE));

  public Caller {
    Objects.requireNonNull(name, "name is null");
    scopes = Set.copyOf(scopes);
  }

  /** Admin implies every other scope. */
  public boolean may(Scope scope) {
    return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
  }
}

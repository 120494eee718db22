package dev.verdict.server.auth;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A token whose signature and claims checked out, and the principal it stands for: id from
 * {@code sub}, the configured type, roles from the roles claim (as the {@code roles} attribute,
 * a set of strings) and the mapped claims as further attributes. Immutable and shared by every
 * request that presents the same token while it is cached.
 */
public final class VerifiedToken {
  private final String subject;
  private final Set<String> roles;
  private final Map<String, Value> attributes;
  private final Map<String, Value> context;
  private final Instant expiresAt;
  private final EntityData principal;

  VerifiedToken(String principalType, String subject, Set<String> roles, Map<String, Value> attributes,
      Map<String, Value> context, Instant expiresAt) {
    this.subject = Objects.requireNonNull(subject, "subject is null");
    this.roles = Set.copyOf(roles);
    this.attributes = Map.copyOf(attributes);
    this.context = Map.copyOf(context);
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt is null");
    Map<String, Value> attrs = new LinkedHashMap<>(this.attributes);
    attrs.put("roles", new Value.SetOf(toValues(this.roles)));
    // parents are not stated by a token: the policy set's data files keep theirs
    this.principal = new EntityData(new EntityUid(principalType, subject), attrs, List.of(), false);
  }

  private static Set<Value> toValues(Set<String> roles) {
    LinkedHashSet<Value> out = new LinkedHashSet<>();
    for (String r : roles) {
      out.add(new Value.Str(r));
    }
    return out;
  }

  /** The {@code sub} claim. */
  public String subject() {
    return subject;
  }

  /** Roles from the roles claim; empty when the claim is absent. */
  public Set<String> roles() {
    return roles;
  }

  /** The mapped claims by attribute name (without {@code roles}). */
  public Map<String, Value> attributes() {
    return attributes;
  }

  /** The claims mapped to request context attributes ({@code contextClaims}), by attribute name. */
  public Map<String, Value> context() {
    return context;
  }

  /** The {@code exp} claim. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** The principal for a decision request: attributes plus {@code roles}, no parents stated. */
  public EntityData principal() {
    return principal;
  }

  @Override
  public String toString() {
    // deliberately no claim values beyond the subject: this may end up in logs
    return "VerifiedToken[subject=" + subject + ", roles=" + roles.size() + ", expiresAt=" + expiresAt + "]";
  }
}

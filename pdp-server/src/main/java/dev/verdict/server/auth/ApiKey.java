package dev.verdict.server.auth;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/** A configured API key: its caller name, the SHA-256 digest of the key, and its scopes. */
public record ApiKey(String name, byte[] digest, Set<Scope> scopes) {
  public ApiKey {
    Objects.requireNonNull(name, "name is null");
    digest = digest.clone();
    if (digest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
    }
    scopes = Set.copyOf(scopes);
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey k && k.name.equals(name) && Arrays.equals(k.digest, digest) && k.scopes.equals(scopes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(digest), scopes);
  }

  /** Never the digest: it is still a credential's fingerprint. */
  @Override
  public String toString() {
    return "ApiKey[" + name + ", " + scopes + "]";
  }
}

package dev.verdict.server.auth;

import java.util.Objects;
import java.util.Set;

/** A client certificate subject (RFC 2253 form, e.g. {@code CN=billing,O=Example}) mapped to a caller. */
public record CertificateCaller(String subject, String name, Set<Scope> scopes) {
  public CertificateCaller {
    Objects.requireNonNull(subject, "subject is null");
    Objects.requireNonNull(name, "name is null");
    scopes = Set.copyOf(scopes);
  }
}

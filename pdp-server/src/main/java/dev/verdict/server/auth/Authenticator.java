package dev.verdict.server.auth;

import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Finds out who is calling: an API key ({@code Authorization: ApiKey <key>} or
 * {@code X-API-Key}) or, on a TLS connection with a client certificate, the certificate's
 * subject. A key that is presented but unknown is refused outright rather than ignored, so a
 * typo never silently falls back to another credential.
 */
public final class Authenticator {
  static final String API_KEY_HEADER = "X-API-Key";
  private static final String SCHEME = "apikey ";

  private final List<ApiKey> keys;
  private final Map<String, CertificateCaller> certificates;

  public Authenticator(List<ApiKey> keys, List<CertificateCaller> certificates) {
    this.keys = List.copyOf(keys);
    Map<String, CertificateCaller> m = new HashMap<>();
    for (CertificateCaller c : certificates) {
      m.put(canonical(c.subject()), c);
    }
    this.certificates = Map.copyOf(m);
  }

  /** Whether any credential is configured; without one, decisions are open (on loopback only). */
  public boolean credentialsConfigured() {
    return !keys.isEmpty() || !certificates.isEmpty();
  }

  /**
   * The caller the request's credential names, or empty when it carries none.
   *
   * @throws ApiException {@code unauthenticated} for a key that matches no configured key
   */
  public Optional<Caller> authenticate(HttpServerRequest request) {
    String key = presentedKey(request);
    if (key != null) {
      return Optional.of(byKey(key));
    }
    return byCertificate(request.connection());
  }

  private static String presentedKey(HttpServerRequest request) {
    String header = request.getHeader(API_KEY_HEADER);
    if (header != null) {
      return header.trim();
    }
    String auth = request.getHeader("Authorization");
    if (auth != null && auth.length() > SCHEME.length()
        && auth.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return auth.substring(SCHEME.length()).trim();
    }
    return null;
  }

  private Caller byKey(String key) {
    if (key.isEmpty() || key.length() > ApiKeys.MAX_KEY_LENGTH) {
      throw new ApiException(ErrorCode.UNAUTHENTICATED, "the API key is not valid");
    }
    byte[] digest = ApiKeys.digest(key);
    ApiKey match = null;
    // Compare with every key, in constant time each, so timing tells nothing about which matched.
    for (ApiKey k : keys) {
      if (MessageDigest.isEqual(k.digest(), digest) && match == null) {
        match = k;
      }
    }
    if (match == null) {
      throw new ApiException(ErrorCode.UNAUTHENTICATED, "the API key is not valid");
    }
    return new Caller(match.name(), match.scopes());
  }

  private Optional<Caller> byCertificate(HttpConnection connection) {
    if (connection == null || !connection.isSsl() || certificates.isEmpty()) {
      return Optional.empty();
    }
    SSLSession session = connection.sslSession();
    if (session == null) {
      return Optional.empty();
    }
    try {
      if (!(session.getPeerPrincipal() instanceof X500Principal p)) {
        return Optional.empty();
      }
      CertificateCaller c = certificates.get(canonical(p.getName(X500Principal.RFC2253)));
      // A certificate the CA vouches for but that no caller is configured for gets no scope.
      return Optional.of(c == null ? new Caller("unknown-certificate", Set.of()) : new Caller(c.name(), c.scopes()));
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  private static String canonical(String subject) {
    try {
      return new X500Principal(subject).getName(X500Principal.CANONICAL);
    } catch (IllegalArgumentException e) {
      return subject;
    }
  }
}

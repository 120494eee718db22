package dev.verdict.server.auth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/** Where signing keys come from: a file or a URL. Key lookups may block on a fetch. */
interface Jwks extends JWKSource<SecurityContext>, AutoCloseable {
  /** Loads or fetches the keys once, so that the first token does not pay for it. */
  JwksStatus warmUp();

  /**
   * Whether a key set has been loaded at least once: a refused fetch for an unknown {@code kid}
   * then means the key is unknown, not that keys are unavailable.
   */
  default boolean hasKeys() {
    return true;
  }

  /** Loads or fetches the keys again; on failure the previous keys stay in use. */
  JwksStatus reload();

  @Override
  void close();

  static Jwks of(JwtConfig config) {
    return config.jwksFile() != null ? new FileJwks(config) : new RemoteJwks(config);
  }
}

package dev.verdict.server.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keys from a JWKS document on disk, read at warm-up (or the first lookup) and on reload. A
 * reload that fails keeps the previous keys: a half-written file must not lock everyone out.
 */
final class FileJwks implements Jwks {
  private final Path file;
  private final int maxBytes;
  private final boolean hmac;
  private final AtomicReference<JWKSet> keys = new AtomicReference<>();

  FileJwks(JwtConfig config) {
    this.file = config.jwksFile();
    this.maxBytes = config.jwksMaxBytes();
    this.hmac = config.hmac();
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
    JWKSet set = keys.get();
    if (set == null) {
      JwksStatus status = warmUp();
      set = keys.get();
      if (set == null) {
        throw new KeySourceException(status.message());
      }
    }
    return selector.select(set);
  }

  @Override
  public synchronized JwksStatus warmUp() {
    JWKSet set = keys.get();
    return set != null ? JwksStatus.ok(set.getKeys().size()) : reload();
  }

  @Override
  public synchronized JwksStatus reload() {
    try {
      JWKSet set = read();
      keys.set(set);
      return JwksStatus.ok(set.getKeys().size());
    } catch (NoSuchFileException e) {
      return JwksStatus.unavailable("JWKS file `" + file + "` does not exist");
    } catch (IOException e) {
      return JwksStatus.unavailable("cannot read JWKS file `" + file + "`: " + e.getMessage());
    } catch (ParseException e) {
      return JwksStatus.unavailable("JWKS file `" + file + "` is not a valid JWK set: " + e.getMessage());
    }
  }

  private JWKSet read() throws IOException, ParseException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    }
    if (bytes.length > maxBytes) {
      throw new IOException("file is larger than " + maxBytes + " bytes");
    }
    JWKSet parsed = JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
    // only what verification needs: shared secrets in HMAC mode, public halves otherwise, so
    // that a private key left in the file is never held and a secret never meets an RSA token
    List<JWK> usable = new ArrayList<>();
    for (JWK k : parsed.getKeys()) {
      boolean secret = KeyType.OCT.equals(k.getKeyType());
      if (hmac && secret) {
        usable.add(k);
      } else if (!hmac && !secret) {
        usable.add(k.toPublicJWK());
      }
    }
    if (usable.isEmpty()) {
      throw new ParseException("it holds no " + (hmac ? "shared-secret (oct)" : "public") + " keys", 0);
    }
    return new JWKSet(usable);
  }

  @Override
  public void close() {
    // nothing held open between reads
  }
}

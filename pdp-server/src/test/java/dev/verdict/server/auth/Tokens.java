package dev.verdict.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Keys generated once per test run and tokens signed with them, relative to a fixed "now". */
final class Tokens {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final String ISSUER = "https://idp.example.com/";
  static final String AUDIENCE = "verdict";

  static final RSAKey RSA = rsa("rsa-1", 2048);
  static final RSAKey RSA_2 = rsa("rsa-2", 2048);
  static final ECKey EC = ec("ec-1");
  static final OctetSequenceKey SECRET = secret("hs-1");

  private Tokens() {}

  private static RSAKey rsa(String kid, int bits) {
    try {
      return new RSAKeyGenerator(bits, true).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static RSAKey weakRsa(String kid) {
    return rsa(kid, 1024);
  }

  private static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OctetSequenceKey secret(String kid) {
    try {
      return new OctetSequenceKeyGenerator(256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims that pass with the default test config: iss, aud, sub, iat now, exp in 10 minutes. */
  static Map<String, Object> claims() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", ISSUER);
    c.put("aud", AUDIENCE);
    c.put("sub", "alice");
    c.put("iat", NOW.getEpochSecond());
    c.put("exp", NOW.plus(Duration.ofMinutes(10)).getEpochSecond());
    c.put("roles", List.of("teller"));
    return c;
  }

  static Map<String, Object> claims(Map<String, Object> changes) {
    Map<String, Object> c = claims();
    for (Map.Entry<String, Object> e : changes.entrySet()) {
      if (e.getValue() == null) {
        c.remove(e.getKey());
      } else {
        c.put(e.getKey(), e.getValue());
      }
    }
    return c;
  }

  static String rs256(Map<String, Object> claims) {
    return sign(JWSAlgorithm.RS256, RSA, JOSEObjectType.JWT, claims);
  }

  static String rs256() {
    return rs256(claims());
  }

  static String sign(JWSAlgorithm alg, JWK key, JOSEObjectType typ, Map<String, Object> claims) {
    return signRaw(alg, key, typ, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims));
  }

  /** Signs the exact payload text, so tests can send JSON that a claims builder would not make. */
  static String signRaw(JWSAlgorithm alg, JWK key, JOSEObjectType typ, String payload) {
    try {
      JWSHeader header = new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(typ).build();
      JWSObject jws = new JWSObject(header, new Payload(payload));
      jws.sign(signer(key));
      return jws.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWSSigner signer(JWK key) throws JOSEException {
    if (key instanceof RSAKey r) {
      // weak keys are allowed here so that tests can show the verifier ignoring them
      return new RSASSASigner(r.toPrivateKey(), Set.of(AllowWeakRSAKey.getInstance()));
    } else if (key instanceof ECKey e) {
      return new ECDSASigner(e);
    }
    return new MACSigner((OctetSequenceKey) key);
  }

  /** A token assembled by hand from header JSON, payload JSON and a signature part. */
  static String raw(String headerJson, String payloadJson, String signature) {
    return b64(headerJson) + "." + b64(payloadJson) + "." + signature;
  }

  static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String jwks(JWK... keys) {
    return new JWKSet(List.of(keys)).toString(true);
  }

  static Path writeJwks(Path dir, JWK... keys) {
    try {
      Path file = dir.resolve("jwks.json");
      Files.writeString(file, jwks(keys));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}

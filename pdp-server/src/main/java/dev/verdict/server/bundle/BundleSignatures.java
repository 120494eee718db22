package dev.verdict.server.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.verdict.engine.Bundles;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Signed policy bundles. A bundle carries, beside the set's files, {@value #SIGNATURE_ENTRY}: a
 * compact JWS whose payload lists every other entry with its SHA-256. A member serves a bundle
 * only when the signature verifies with one of the deployment's trusted public keys and the
 * entries are exactly those listed, byte for byte: a file added, removed or changed on the way
 * is a refusal, as is a bundle signed with an unknown key or an algorithm outside the list.
 */
public final class BundleSignatures {
  public static final String SIGNATURE_ENTRY = ".signature.jws";
  /** Asymmetric algorithms only: a shared secret would let every member forge bundles. */
  static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
      JWSAlgorithm.ES512);
  private static final ObjectMapper JSON = new ObjectMapper();

  private BundleSignatures() {}

  /** Why a bundle is not served. The message never includes file contents. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** A bundle of {@code files} (relative name → content) signed with {@code key} (a private RSA or EC JWK). */
  public static byte[] sign(Map<String, byte[]> files, JWK key) throws JOSEException {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("verdict-bundle", 1);
    ObjectNode list = payload.putObject("files");
    for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
      if (f.getKey().equals(SIGNATURE_ENTRY)) {
        throw new IllegalArgumentException("a set may not have a file named " + SIGNATURE_ENTRY);
      }
      list.put(f.getKey(), sha256(f.getValue()));
    }
    JWSSigner signer;
    JWSAlgorithm alg;
    if (key instanceof RSAKey rsa) {
      signer = new RSASSASigner(rsa);
      alg = JWSAlgorithm.RS256;
    } else if (key instanceof ECKey ec) {
      signer = new ECDSASigner(ec);
      alg = com.nimbusds.jose.crypto.impl.ECDSA.resolveAlgorithm(ec.getCurve());
    } else {
      throw new IllegalArgumentException("bundles are signed with an RSA or EC private key, not " + key.getKeyType());
    }
    JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(),
        new Payload(payload.toString()));
    jws.sign(signer);
    Map<String, byte[]> all = new TreeMap<>(files);
    all.put(SIGNATURE_ENTRY, jws.serialize().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return Bundles.write(all);
  }

  /**
   * The files of a bundle whose signature verifies with one of {@code trusted}'s keys and lists
   * exactly its entries; the signature entry itself is left out.
   */
  public static Map<String, byte[]> verify(byte[] bundle, JWKSet trusted) throws Refused {
    Map<String, byte[]> entries;
    try {
      entries = Bundles.read(bundle);
    } catch (Bundles.Refused e) {
      throw new Refused(e.getMessage());
    }
    byte[] signature = entries.get(SIGNATURE_ENTRY);
    if (signature == null) {
      throw new Refused("the bundle is not signed (no " + SIGNATURE_ENTRY + "); sign it with `verdict bundle DIR "
          + "--key FILE -o bundle.zip`");
    }
    JWSObject jws;
    try {
      jws = JWSObject.parse(new String(signature, java.nio.charset.StandardCharsets.US_ASCII).trim());
    } catch (ParseException e) {
      throw new Refused("the bundle's signature is not a compact JWS");
    }
    JWSAlgorithm alg = jws.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      throw new Refused("the bundle is signed with " + alg + "; accepted: RS*, PS* and ES* algorithms");
    }
    List<JWK> candidates = jws.getHeader().getKeyID() == null ? trusted.getKeys()
        : trusted.getKeys().stream().filter(k -> jws.getHeader().getKeyID().equals(k.getKeyID())).toList();
    boolean verified = false;
    for (JWK k : candidates) {
      try {
        JWSVerifier v = new DefaultJWSVerifierFactory().createJWSVerifier(jws.getHeader(),
            k instanceof RSAKey rsa ? rsa.toRSAPublicKey() : ((ECKey) k).toECPublicKey());
        if (jws.verify(v)) {
          verified = true;
          break;
        }
      } catch (JOSEException | ClassCastException e) {
        // a key of another type or curve cannot have made this signature; try the next
      }
    }
    if (!verified) {
      throw new Refused("the bundle's signature does not verify with any trusted key"
          + (jws.getHeader().getKeyID() == null ? "" : " (key id `" + jws.getHeader().getKeyID() + "`)"));
    }
    JsonNode listed;
    try {
      listed = JSON.readTree(jws.getPayload().toString()).get("files");
    } catch (java.io.IOException e) {
      listed = null;
    }
    if (listed == null || !listed.isObject()) {
      throw new Refused("the bundle's signature lists no files");
    }
    Map<String, byte[]> files = new TreeMap<>(entries);
    files.remove(SIGNATURE_ENTRY);
    if (listed.size() != files.size()) {
      throw new Refused("the bundle has " + files.size() + " files but its signature lists " + listed.size());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = listed.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      byte[] content = files.get(f.getKey());
      if (content == null) {
        throw new Refused("the bundle lacks `" + f.getKey() + "`, which its signature lists");
      }
      if (!f.getValue().isTextual() || !f.getValue().textValue().equals(sha256(content))) {
        throw new Refused("`" + f.getKey() + "` is not the file that was signed");
      }
    }
    return files;
  }

  static String sha256(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}

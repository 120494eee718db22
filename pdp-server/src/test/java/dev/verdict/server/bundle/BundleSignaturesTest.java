package dev.verdict.server.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.verdict.engine.Bundles;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundleSignaturesTest {
  static RSAKey rsa;
  static ECKey ec;
  static RSAKey stranger;
  static final Map<String, byte[]> FILES = Map.of(
      "p.verdict", "policy p on Doc {\n  @id(\"all\") permit read\n}\n".getBytes(StandardCharsets.UTF_8),
      "data/docs.entities.json", "[]".getBytes(StandardCharsets.UTF_8));

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("deploy-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("deploy-2").generate();
    stranger = new RSAKeyGenerator(2048).keyID("deploy-1").generate();
  }

  static JWKSet trusted() {
    return new JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
  }

  @Test
  void aSignedBundleVerifiesAndLoads() throws Exception {
    for (var key : java.util.List.of(rsa, ec)) {
      byte[] bundle = BundleSignatures.sign(FILES, key);
      Map<String, byte[]> files = BundleSignatures.verify(bundle, trusted());
      assertThat(files.keySet()).containsExactly("data/docs.entities.json", "p.verdict");
      Engine e = Engine.builder(PolicySource.bundle("pushed", bundle)).buildOrThrow();
      assertThat(e.active()).isPresent();
    }
  }

  @Test
  void aChangedAddedOrMissingFileIsRefused() throws Exception {
    Map<String, byte[]> signed = Bundles.read(BundleSignatures.sign(FILES, rsa));

    Map<String, byte[]> changed = new TreeMap<>(signed);
    changed.put("p.verdict", "policy p on Doc {\n  @id(\"all\") permit *\n}\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> BundleSignatures.verify(Bundles.write(changed), trusted()))
        .hasMessageContaining("`p.verdict` is not the file that was signed");

    Map<String, byte[]> added = new TreeMap<>(signed);
    added.put("evil.verdict", "policy e on Doc { permit * }".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> BundleSignatures.verify(Bundles.write(added), trusted()))
        .hasMessageContaining("has 3 files but its signature lists 2");

    Map<String, byte[]> removed = new TreeMap<>(signed);
    removed.remove("data/docs.entities.json");
    removed.put("other.entities.json", "[]".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> BundleSignatures.verify(Bundles.write(removed), trusted()))
        .hasMessageContaining("lacks `data/docs.entities.json`");
  }

  @Test
  void unsignedForeignAndSymmetricBundlesAreRefused() throws Exception {
    assertThatThrownBy(() -> BundleSignatures.verify(Bundles.write(FILES), trusted()))
        .hasMessageContaining("not signed");
    assertThatThrownBy(() -> BundleSignatures.verify(BundleSignatures.sign(FILES, stranger), trusted()))
        .hasMessageContaining("does not verify with any trusted key");

    JWSObject hs = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload("{\"files\":{}}"));
    hs.sign(new MACSigner(new byte[32]));
    Map<String, byte[]> forged = new TreeMap<>(FILES);
    forged.put(BundleSignatures.SIGNATURE_ENTRY, hs.serialize().getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> BundleSignatures.verify(Bundles.write(forged), trusted()))
        .hasMessageContaining("signed with HS256");

    Map<String, byte[]> garbage = new TreeMap<>(FILES);
    garbage.put(BundleSignatures.SIGNATURE_ENTRY, "not a jws".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> BundleSignatures.verify(Bundles.write(garbage), trusted()))
        .hasMessageContaining("not a compact JWS");
    assertThatThrownBy(() -> BundleSignatures.verify("junk".getBytes(StandardCharsets.UTF_8), trusted()))
        .isInstanceOf(BundleSignatures.Refused.class);
  }

  @Test
  void theSameFilesGiveTheSameArchive() {
    assertThat(Bundles.write(FILES)).isEqualTo(Bundles.write(new TreeMap<>(FILES)));
  }
}

package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.verdict.engine.Bundles;
import dev.verdict.server.TestServer;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import dev.verdict.server.boot.ServerConfig;
import java.util.List;
import java.util.Set;
import dev.verdict.server.bundle.BundleSignatures;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/policies} on a node outside any cluster: it verifies and serves the bundle itself. */
class PolicyPushAloneTest {
  static final String ADMIN_KEY = "admin-key-0123456789abcdef";

  static ServerConfig admin(ServerConfig c) {
    return c.withApiKeys(List.of(new ApiKey("ops", ApiKeys.digest(ADMIN_KEY), Set.of(Scope.ADMIN, Scope.DECIDE))));
  }

  static ECKey key(String id) throws Exception {
    return new ECKeyGenerator(Curve.P_256).keyID(id).generate();
  }

  static Map<String, byte[]> files(Path dir) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  static TestServer.Response push(TestServer s, byte[] bundle) {
    return s.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1/policies"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(bundle)), "Content-Type", "application/zip", "X-API-Key", ADMIN_KEY);
  }

  @Test
  void aSignedBundleIsServedAndTheDirectoryIsNoLongerRead(@TempDir Path tmp) throws Exception {
    ECKey key = key("push-key");
    Path keys = tmp.resolve("bundle-keys.json");
    Files.writeString(keys, new JWKSet(key.toPublicJWK()).toString());
    try (TestServer s = new TestServer(tmp, c -> admin(c).withBundleKeys(Optional.of(keys)))) {
      String before = s.get("/v1/policies", "X-API-Key", ADMIN_KEY).json().get("version").asText();
      Map<String, byte[]> set = files(s.policies);
      set.put("accounts.verdict", (new String(set.get("accounts.verdict"), StandardCharsets.UTF_8)
          + "\npolicy extra on Account {\n  @id(\"pushed-rule\")\n  permit read to support\n}\n")
          .getBytes(StandardCharsets.UTF_8));
      TestServer.Response r = push(s, BundleSignatures.sign(set, key));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      String pushed = r.json().get("version").asText();
      assertThat(pushed).startsWith("sha256:").isNotEqualTo(before);
      assertThat(r.json().get("activated").asBoolean()).isTrue();

      JsonNode now = s.get("/v1/policies", "X-API-Key", ADMIN_KEY).json();
      assertThat(now.get("version").asText()).isEqualTo(pushed);
      assertThat(now.get("source").asText()).isEqualTo("bundle");
      assertThat(s.get("/health/ready", "X-API-Key", ADMIN_KEY).json().get("policyVersion").asText()).isEqualTo(pushed);

      // curl --data-binary without a Content-Type labels the bundle a form: it is still read as bytes
      set.put("note.verdict", "// labelled as a form\n".getBytes(StandardCharsets.UTF_8));
      byte[] second = BundleSignatures.sign(set, key);
      assertThat(second.length).isGreaterThan(1024);
      TestServer.Response form = s.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1/policies"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(second)),
          "Content-Type", "application/x-www-form-urlencoded", "X-API-Key", ADMIN_KEY);
      assertThat(form.status()).as(form.body()).isEqualTo(200);
      pushed = form.json().get("version").asText();

      // A reload would undo the push: refused, and the pushed version stays.
      TestServer.Response reload = s.post("/v1/policies/reload", "", "X-API-Key", ADMIN_KEY);
      assertThat(reload.status()).isEqualTo(409);
      assertThat(reload.json().at("/error/code").asText()).isEqualTo("policy_pushed");
      assertThat(s.get("/v1/policies", "X-API-Key", ADMIN_KEY).json().get("version").asText()).isEqualTo(pushed);
      assertThat(s.stderr()).contains("serving policy version " + pushed + " from a pushed bundle");
    }
  }

  @Test
  void brokenUnsignedAndForeignBundlesAreRefusedWithTheirReasonAndNothingChanges(@TempDir Path tmp) throws Exception {
    ECKey key = key("push-key");
    Path keys = tmp.resolve("bundle-keys.json");
    Files.writeString(keys, new JWKSet(key.toPublicJWK()).toString());
    try (TestServer s = new TestServer(tmp, c -> admin(c).withBundleKeys(Optional.of(keys)))) {
      String before = s.get("/v1/policies", "X-API-Key", ADMIN_KEY).json().get("version").asText();
      Map<String, byte[]> set = files(s.policies);

      Map<String, byte[]> broken = new TreeMap<>(set);
      broken.put("broken.verdict", "policy broken on Account {\n  permit read to nobody_declared\n}\n"
          .getBytes(StandardCharsets.UTF_8));
      TestServer.Response r = push(s, BundleSignatures.sign(broken, key));
      assertThat(r.status()).as(r.body()).isEqualTo(422);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("bundle_refused");
      assertThat(r.json().at("/error/details/refusals/this node").asText()).contains("broken.verdict:");

      TestServer.Response unsigned = push(s, Bundles.write(set));
      assertThat(unsigned.status()).isEqualTo(422);
      assertThat(unsigned.json().at("/error/message").asText()).contains("not signed");

      TestServer.Response foreign = push(s, BundleSignatures.sign(set, key("someone-else")));
      assertThat(foreign.status()).isEqualTo(422);
      assertThat(foreign.json().at("/error/message").asText()).contains("does not verify with any trusted key");

      TestServer.Response notZip = push(s, "{}".getBytes(StandardCharsets.UTF_8));
      assertThat(notZip.status()).isEqualTo(422);
      assertThat(notZip.body()).doesNotContain("Exception");

      JsonNode now = s.get("/v1/policies", "X-API-Key", ADMIN_KEY).json();
      assertThat(now.get("version").asText()).isEqualTo(before);
      assertThat(now.get("source").asText()).isEqualTo("directory");
    }
  }

  @Test
  void withoutTrustedKeysPushingIsOff(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp, PolicyPushAloneTest::admin)) {
      TestServer.Response r = push(s, BundleSignatures.sign(files(s.policies), key("k")));
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.json().at("/error/code").asText()).isEqualTo("push_off");
      assertThat(r.json().at("/error/message").asText()).contains("--bundle-keys");
    }
  }
}

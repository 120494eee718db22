package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.verdict.engine.Bundles;
import dev.verdict.server.bundle.BundleSignatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleCommandTest {
  static final Path BANKING = Path.of("..", "policies", "banking");

  @Test
  void buildsASignedBundleThatVerifiesWithTheGeneratedKeys(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("dev");
    CliRun gen = CliRun.of("bundle", "keygen", "--dir", keys.toString());
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("bundle-key.json"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(keys.resolve("bundle-keys.json"))).doesNotContain("\"d\"");

    Path out = dir.resolve("banking.zip");
    CliRun built = CliRun.of("bundle", BANKING.toString(), "--key", keys.resolve("bundle-key.json").toString(),
        "-o", out.toString());
    assertThat(built.code()).as(built.err()).isZero();
    assertThat(built.err()).contains("policy version sha256:");
    Map<String, byte[]> files = BundleSignatures.verify(Files.readAllBytes(out),
        JWKSet.load(keys.resolve("bundle-keys.json").toFile()));
    assertThat(files).containsKey("accounts.verdict");

    CliRun ok = CliRun.of("bundle", "verify", out.toString(), "--keys", keys.resolve("bundle-keys.json").toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("signature ok").contains("policy version sha256:");

    // keygen again keeps the key: the bundle still verifies with the (rewritten) public keys
    CliRun again = CliRun.of("bundle", "keygen", "--dir", keys.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err()).contains("exists, kept");
    assertThat(CliRun.of("bundle", "verify", out.toString(), "--keys", keys.resolve("bundle-keys.json").toString())
        .code()).isZero();

    // a second key pair in another place does not verify the first one's bundle
    Path other = dir.resolve("other");
    assertThat(CliRun.of("bundle", "keygen", "--dir", other.toString()).code()).isZero();
    CliRun wrong = CliRun.of("bundle", "verify", out.toString(), "--keys", other.resolve("bundle-keys.json").toString());
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("does not verify with any trusted key");
    assertThat(wrong.showsNoException()).isTrue();
  }

  @Test
  void refusesASetWithErrorsAndATamperedBundle(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("dev");
    assertThat(CliRun.of("bundle", "keygen", "--dir", keys.toString()).code()).isZero();
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("p.verdict"), "policy oops {\n  permit nonsense\n}\n");
    Path out = dir.resolve("broken.zip");
    CliRun r = CliRun.of("bundle", broken.toString(), "--key", keys.resolve("bundle-key.json").toString(),
        "-o", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("p.verdict:");
    assertThat(r.err()).contains("has errors; no bundle was written");
    assertThat(out).doesNotExist();
    assertThat(r.showsNoException()).isTrue();

    Path good = dir.resolve("good.zip");
    assertThat(CliRun.of("bundle", BANKING.toString(), "--key", keys.resolve("bundle-key.json").toString(),
        "-o", good.toString()).code()).isZero();
    Map<String, byte[]> entries = new TreeMap<>(Bundles.read(Files.readAllBytes(good)));
    entries.put("extra.verdict", "policy extra {}\n".getBytes());
    Files.write(good, Bundles.write(entries));
    CliRun tampered = CliRun.of("bundle", "verify", good.toString(), "--keys", keys.resolve("bundle-keys.json").toString());
    assertThat(tampered.code()).isEqualTo(1);
    assertThat(tampered.err()).contains("files but its signature lists");
  }

  @Test
  void explainsWhatIsMissingAndRefusesAPublicKeyForSigning(@TempDir Path dir) {
    CliRun none = CliRun.of("bundle", BANKING.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("verdict bundle keygen");
    Path keys = dir.resolve("dev");
    assertThat(CliRun.of("bundle", "keygen", "--dir", keys.toString()).code()).isZero();
    CliRun pub = CliRun.of("bundle", BANKING.toString(), "--key", keys.resolve("bundle-keys.json").toString(),
        "-o", dir.resolve("x.zip").toString());
    assertThat(pub.code()).isEqualTo(2);
    assertThat(pub.err()).contains("is not a JWK");
    assertThat(pub.showsNoException()).isTrue();
  }
}

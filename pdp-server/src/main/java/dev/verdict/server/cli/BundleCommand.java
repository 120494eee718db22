package dev.verdict.server.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.Verdict;
import dev.verdict.engine.Engine;
import dev.verdict.lang.CheckResult;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.server.bundle.BundleSignatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict bundle DIR --key FILE -o bundle.zip}: a signed bundle of a policy set, for
 * {@code POST /v1/policies}. The set is checked first, as {@code verdict check} does, so a set
 * with errors never becomes a bundle; {@code verify} checks a bundle as a server would, and
 * {@code keygen} makes a development key pair.
 */
@Command(name = "bundle", description = "Build a signed policy bundle of a set (for POST /v1/policies).",
    subcommands = {BundleCommand.Verify.class, BundleCommand.Keygen.class})
final class BundleCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The policy set's directory.")
  Path dir;

  @Option(names = "--key", paramLabel = "FILE", description = "The private signing key: an RSA or EC JWK (JSON).")
  Path key;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where the bundle is written (a zip archive).")
  Path output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (dir == null || key == null || output == null) {
      err.println("error: give the set, the key and the output: `verdict bundle policies/banking --key "
          + ".verdict-dev/bundle-key.json -o banking.zip` (make a key pair with `verdict bundle keygen`)");
      return VerdictCommand.USAGE;
    }
    if (!Files.isDirectory(dir)) {
      err.println("error: `" + dir + "` is not a directory; a bundle is made of a policy set's directory");
      return VerdictCommand.USAGE;
    }
    JWK signing;
    try {
      signing = privateKey(key);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return VerdictCommand.USAGE;
    }
    CheckResult check = Verdict.check(List.of(dir));
    if (check.hasErrors()) {
      spec.commandLine().getOut().print(check.render());
      spec.commandLine().getOut().println(Summary.of(check));
      err.println("error: the set in `" + dir + "` has errors; no bundle was written");
      return VerdictCommand.POLICY_ERRORS;
    }
    Map<String, byte[]> files = files(dir);
    byte[] bundle;
    try {
      bundle = BundleSignatures.sign(files, signing);
    } catch (JOSEException | IllegalArgumentException e) {
      err.println("error: the bundle cannot be signed with `" + key + "`: " + e.getMessage());
      return VerdictCommand.USAGE;
    }
    Engine.Staged compiled = compile(output.toString(), bundle);
    if (compiled.policy().isEmpty()) {
      spec.commandLine().getOut().print(compiled.result().render());
      err.println("error: the set in `" + dir + "` does not compile; no bundle was written");
      return VerdictCommand.POLICY_ERRORS;
    }
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(output, bundle);
    err.println("verdict: wrote " + output + " (" + files.size() + " files, policy version "
        + compiled.result().version() + ") signed with " + key);
    return VerdictCommand.OK;
  }

  /** The set's files as a server reads them, by name relative to the set's root. */
  static Map<String, byte[]> files(Path dir) {
    PolicySource source = PolicySource.directory(dir);
    SourceSet set = source.read();
    Map<String, byte[]> files = new TreeMap<>();
    for (List<Source> kind : List.of(set.policies(), set.entityData())) {
      for (Source s : kind) {
        files.put(source.relativeName(s.name()), s.text().getBytes(StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  /** The bundle compiled as a server compiles a pushed one (nothing is served). */
  static Engine.Staged compile(String name, byte[] bundle) {
    PolicySource source = PolicySource.bundle(name, bundle);
    return Engine.builder(source).buildUnloaded().stage(source);
  }

  private static JWK privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("the key file `" + file + "` cannot be read: " + e.getMessage());
    }
    JWK k;
    try {
      k = JWK.parse(text);
    } catch (ParseException e) {
      throw new IllegalArgumentException("`" + file + "` is not a JWK (a JSON Web Key); make one with "
          + "`verdict bundle keygen`");
    }
    if (!k.isPrivate()) {
      throw new IllegalArgumentException("`" + file + "` holds a public key; signing needs the private one");
    }
    return k;
  }

  /** {@code verdict bundle verify FILE --keys JWKS}: does a server with these keys accept this bundle? */
  @Command(name = "verify", description = "Check a bundle's signature and contents with trusted public keys.")
  static final class Verify implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle (a zip archive).")
    Path bundle;

    @Option(names = "--keys", required = true, paramLabel = "JWKS",
        description = "The trusted public keys, as the server's --bundle-keys file.")
    Path keys;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      JWKSet trusted;
      byte[] archive;
      try {
        trusted = JWKSet.load(keys.toFile());
      } catch (IOException | ParseException e) {
        err.println("error: `" + keys + "` is not a readable JWKS file: " + e.getMessage());
        return VerdictCommand.USAGE;
      }
      try {
        archive = Files.readAllBytes(bundle);
      } catch (IOException e) {
        err.println("error: the bundle `" + bundle + "` cannot be read: " + e.getMessage());
        return VerdictCommand.USAGE;
      }
      Map<String, byte[]> files;
      try {
        files = BundleSignatures.verify(archive, trusted);
      } catch (BundleSignatures.Refused e) {
        err.println("error: " + bundle + ": " + e.getMessage());
        return VerdictCommand.POLICY_ERRORS;
      }
      Engine.Staged compiled = compile(bundle.toString(), archive);
      if (compiled.policy().isEmpty()) {
        spec.commandLine().getOut().print(compiled.result().render());
        err.println("error: " + bundle + ": the signature verifies but the set has errors");
        return VerdictCommand.POLICY_ERRORS;
      }
      spec.commandLine().getOut().println(bundle + ": signature ok, " + files.size() + " files, policy version "
          + compiled.result().version());
      return VerdictCommand.OK;
    }
  }

  /** {@code verdict bundle keygen}: a development signing key and the JWKS servers trust it with. */
  @Command(name = "keygen", description = "Make a development bundle signing key pair (ES256) in .verdict-dev/.")
  static final class Keygen implements Callable<Integer> {
    static final String PRIVATE = "bundle-key.json";
    static final String PUBLIC = "bundle-keys.json";

    @Option(names = "--dir", defaultValue = ".verdict-dev", paramLabel = "DIR", description = "Where the keys are written.")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, JOSEException {
      Path priv = dir.resolve(PRIVATE);
      Path pub = dir.resolve(PUBLIC);
      if (Files.exists(priv)) {
        // Kept, not replaced: bundles signed with it must still verify, and a README followed
        // from the top runs keygen more than once.
        JWK existing;
        try {
          existing = JWK.parse(Files.readString(priv, StandardCharsets.UTF_8));
        } catch (ParseException e) {
          spec.commandLine().getErr().println("error: `" + priv + "` exists but is not a JSON Web Key ("
              + e.getMessage() + "); remove it to make a new key pair");
          return VerdictCommand.USAGE;
        }
        Files.writeString(pub, new JWKSet(existing.toPublicJWK()).toString(), StandardCharsets.UTF_8);
        spec.commandLine().getErr().println("verdict: bundle signing key " + priv + " exists, kept (keep it "
            + "private); servers trust it with --bundle-keys " + pub);
        return VerdictCommand.OK;
      }
      Files.createDirectories(dir);
      ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bundle-" + UUID.randomUUID().toString().substring(0, 8))
          .generate();
      Path tmp = Files.createTempFile(dir, "key", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's own protection applies
      }
      Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
      Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(pub, new JWKSet(key.toPublicJWK()).toString(), StandardCharsets.UTF_8);
      spec.commandLine().getErr().println("verdict: bundle signing key " + priv + " (keep it private); servers "
          + "trust it with --bundle-keys " + pub);
      return VerdictCommand.OK;
    }
  }
}

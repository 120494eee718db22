package dev.verdict.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.Bundles;
import dev.verdict.engine.Engine;
import dev.verdict.engine.LinkChange;
import dev.verdict.lang.link.Link;
import dev.verdict.lang.link.LinkRecord;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.server.bundle.BundleSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Links created and deleted over the admin API on a member of a cluster. A link becomes part of
 * the cluster's bundle: under the push lock this member reads the active bundle, verifies it,
 * edits its {@value #FILE}, signs the result with the deployment's bundle signing key and pushes
 * it through the two-phase switch. Every member verifies that signature and compiles the set with
 * the link before any serves it, exactly as for a bundle pushed by hand: the cluster port carries
 * nothing a member would not accept from {@code POST /v1/policies}. A member without the signing
 * key refuses link writes (its admins cannot make the others accept a change).
 */
public final class ClusterLinks {
  /** The bundle file that holds the links written over the API. */
  public static final String FILE = "api.links.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NO_BUNDLE = "this node is in a cluster that serves no pushed bundle yet, and links "
      + "written over the API become part of the cluster's bundle: push the policy set first (`verdict bundle DIR "
      + "--key FILE -o set.zip`, then POST /v1/policies)";

  private final Engine engine;
  private final ClusterPolicy cluster;
  private final JWKSet trusted;
  private final Optional<JWK> signingKey;
  private final ClusterPolicyService.PushListener pushed;

  /**
   * What a link write did.
   *
   * @param change the link's fate when the write reached the links (added, refused, not found, full)
   * @param unavailable why link writes are not possible on this member now; empty when they are
   * @param refusals members that could not serve the edited bundle (nothing changed anywhere)
   */
  public record Outcome(Optional<LinkChange> change, Optional<String> unavailable, Map<String, String> refusals) {
    public Outcome {
      refusals = Map.copyOf(refusals);
    }

    static Outcome of(LinkChange change) {
      return new Outcome(Optional.of(change), Optional.empty(), Map.of());
    }

    static Outcome unavailable(String why) {
      return new Outcome(Optional.empty(), Optional.of(why), Map.of());
    }
  }

  /** @param pushed told of each push a link write makes, as of a bundle pushed by hand (metrics, log) */
  ClusterLinks(Engine engine, ClusterPolicy cluster, JWKSet trusted, Optional<JWK> signingKey,
      ClusterPolicyService.PushListener pushed) {
    this.engine = engine;
    this.pushed = pushed;
    this.cluster = cluster;
    this.trusted = trusted;
    this.signingKey = signingKey;
  }

  /** Adds {@code link} to the cluster's bundle. Blocking. */
  public Outcome add(LinkRecord link) {
    Optional<String> off = off();
    if (off.isPresent()) {
      return Outcome.unavailable(off.get());
    }
    Optional<ActivePolicy> now = engine.active();
    if (now.isEmpty()) {
      return Outcome.of(new LinkChange(LinkChange.Status.NOT_LOADED, "", List.of(), "no policy set is loaded yet"));
    }
    // checked here first, so a link that does not fit is refused with its diagnostic and JSON path
    List<Diagnostic> problems = now.get().set().checkLinks(List.of(link),
        now.get().set().links().stream().map(Link::id).toList());
    if (!problems.isEmpty()) {
      return Outcome.of(new LinkChange(LinkChange.Status.REFUSED, now.get().version(), problems,
          problems.get(0).message()));
    }
    Outcome out = edit(files -> {
      ArrayNode links = links(files);
      for (JsonNode l : links) {
        if (l.path("id").asText().equals(link.link().id())) {
          throw new ClusterPolicy.EditRefused("taken", Outcome.of(new LinkChange(LinkChange.Status.REFUSED,
              now.get().version(), List.of(), "a link with the id " + link.link().id() + " exists already")));
        }
      }
      links.add(json(link.link()));
      files.put(FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(links));
    });
    return done(out, link.link(), "link " + link.link().id() + " added");
  }

  /** Removes the link {@code id} from the cluster bundle's {@value #FILE}. Blocking. */
  public Outcome remove(String id) {
    Optional<String> off = off();
    if (off.isPresent()) {
      return Outcome.unavailable(off.get());
    }
    String version = engine.active().map(ActivePolicy::version).orElse("");
    boolean elsewhere = engine.active().map(p -> p.set().links().stream().anyMatch(l -> l.id().equals(id)))
        .orElse(false);
    Outcome out = edit(files -> {
      ArrayNode links = links(files);
      for (int i = 0; i < links.size(); i++) {
        if (links.get(i).path("id").asText().equals(id)) {
          links.remove(i);
          files.put(FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(links));
          return;
        }
      }
      throw new ClusterPolicy.EditRefused("absent", Outcome.of(new LinkChange(LinkChange.Status.NOT_FOUND, version,
          List.of(), elsewhere
              ? "link " + id + " is written in another `*.links.json` file of the cluster's bundle: remove it there "
                  + "and push the bundle"
              : "no link added over the API has the id " + id)));
    });
    return done(out, null, "link " + id + " removed");
  }

  private Optional<String> off() {
    if (signingKey.isEmpty()) {
      return Optional.of("this node is in a cluster, and links written over the API become part of the cluster's "
          + "signed bundle: start the node with --bundle-signing-key FILE (the private key of one of the "
          + "--bundle-keys), or write the links into a `*.links.json` file of the bundle and push it");
    }
    if (!cluster.hasPushedBundle()) {
      return Optional.of(NO_BUNDLE);
    }
    return Optional.empty();
  }

  /** One change of the bundle's files, made under the push lock. */
  @FunctionalInterface
  private interface FilesEdit {
    void apply(Map<String, byte[]> files) throws ClusterPolicy.EditRefused, IOException;
  }

  private Outcome edit(FilesEdit change) {
    ClusterPolicy.PushResult r;
    long start = System.nanoTime();
    try {
      r = cluster.edit(active -> {
        if (active == null) {
          throw new ClusterPolicy.EditRefused("no bundle", Outcome.unavailable(NO_BUNDLE));
        }
        Map<String, byte[]> files;
        try {
          files = new TreeMap<>(BundleSignatures.verify(active, trusted));
        } catch (BundleSignatures.Refused e) {
          throw new ClusterPolicy.EditRefused("bad bundle", Outcome.unavailable(
              "the cluster's active bundle does not verify here: " + e.getMessage()));
        }
        try {
          change.apply(files);
        } catch (IOException e) {
          throw new ClusterPolicy.EditRefused("bad links", Outcome.unavailable("the bundle's " + FILE
              + " cannot be read: " + e.getMessage()));
        }
        byte[] signed;
        try {
          signed = BundleSignatures.sign(files, signingKey.get());
        } catch (JOSEException | IllegalArgumentException e) {
          throw new ClusterPolicy.EditRefused("unsigned", Outcome.unavailable(
              "the bundle signing key cannot sign: " + e.getMessage()));
        }
        if (signed.length > Bundles.MAX_ARCHIVE_BYTES) {
          throw new ClusterPolicy.EditRefused("full", Outcome.of(new LinkChange(LinkChange.Status.FULL, "", List.of(),
              "the bundle would be larger than " + Bundles.MAX_ARCHIVE_BYTES + " bytes; delete links that are no "
                  + "longer needed")));
        }
        return signed;
      });
    } catch (ClusterPolicy.EditRefused e) {
      return (Outcome) e.reason();
    }
    pushed.pushed(r, System.nanoTime() - start);
    if (!r.activated()) {
      return new Outcome(Optional.empty(), Optional.empty(), r.refusals());
    }
    return new Outcome(Optional.of(new LinkChange(LinkChange.Status.DONE, r.version(), List.of(), "")),
        Optional.empty(), Map.of());
  }

  private static Outcome done(Outcome out, Link link, String message) {
    Optional<LinkChange> c = out.change();
    if (c.isPresent() && c.get().status() == LinkChange.Status.DONE) {
      return Outcome.of(new LinkChange(LinkChange.Status.DONE, c.get().version(), List.of(), message,
          Optional.ofNullable(link)));
    }
    return out;
  }

  private static ArrayNode links(Map<String, byte[]> files) throws IOException {
    byte[] text = files.get(FILE);
    if (text == null) {
      return JSON.createArrayNode();
    }
    JsonNode n = JSON.readTree(new String(text, StandardCharsets.UTF_8));
    if (!(n instanceof ArrayNode a)) {
      throw new IOException("it is not a JSON array of links");
    }
    return a;
  }

  private static ObjectNode json(Link l) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", l.id());
    o.put("template", l.template());
    ObjectNode slots = o.putObject("slots");
    l.slots().forEach((k, v) -> {
      ObjectNode e = slots.putObject(k);
      e.put("type", v.type());
      e.put("id", v.id());
    });
    return o;
  }
}

package dev.verdict.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.engine.Engine;
import dev.verdict.engine.LinkChange;
import dev.verdict.lang.eval.Catalog;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.link.Link;
import dev.verdict.lang.link.LinkReader;
import dev.verdict.lang.link.LinkRecord;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.server.cluster.ClusterLinks;
import dev.verdict.server.cluster.ClusterPolicyService;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/policies/links} (create a link) and {@code DELETE /v1/policies/links/{id}}; both
 * behind the admin guard. Alone, links created here are kept by the engine and applied to every set
 * it loads afterwards. In a cluster they become part of the cluster's signed bundle (see
 * {@link ClusterLinks}), so every member serves them and a joiner gets them with the bundle.
 */
final class LinkHandlers {
  private final Engine engine;
  private final ClusterPolicyService cluster;

  LinkHandlers(Engine engine, ClusterPolicyService cluster) {
    this.engine = engine;
    this.cluster = cluster;
  }

  void create(RoutingContext ctx) {
    ObjectNode body = JsonCodec.parseObject(ctx.body().buffer());
    // re-indexing the links takes a moment with many of them, a cluster's switch longer: off the event loop
    ctx.vertx().executeBlocking(() -> add(body), false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ClusterLinks.Outcome o = ar.result();
      if (!answeredOutside(ctx, o)) {
        LinkChange c = o.change().orElseThrow();
        switch (c.status()) {
          case DONE -> {
            ObjectNode out = link(c.link().orElseThrow(), "api");
            out.put("version", c.version());
            Responses.json(ctx, 201, out);
          }
          case REFUSED -> Responses.error(ctx, c.problems().isEmpty()
              ? new ApiException(ErrorCode.INVALID_REQUEST, c.message()) : refused(c.problems().get(0)));
          case FULL -> Responses.error(ctx, new ApiException(ErrorCode.LINKS_FULL, c.message()));
          default -> Responses.error(ctx, new ApiException(ErrorCode.POLICY_NOT_LOADED, c.message()));
        }
      }
    });
  }

  /** Reads and adds the link of {@code body}; a malformed one is refused like one that does not fit. */
  private ClusterLinks.Outcome add(ObjectNode body) {
    LinkReader.Result read = LinkReader.read(body, "the request");
    if (!read.diagnostics().isEmpty()) {
      return new ClusterLinks.Outcome(Optional.of(new LinkChange(LinkChange.Status.REFUSED, "", read.diagnostics(),
          read.diagnostics().get(0).message())), Optional.empty(), Map.of());
    }
    LinkRecord link = read.links().get(0);
    Optional<ClusterLinks> clustered = clusterLinks();
    return clustered.isPresent() ? clustered.get().add(link)
        : new ClusterLinks.Outcome(Optional.of(engine.addLink(link)), Optional.empty(), Map.of());
  }

  void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Optional<ClusterLinks> clustered = clusterLinks();
    ctx.vertx().executeBlocking(() -> clustered.isPresent() ? clustered.get().remove(id)
        : new ClusterLinks.Outcome(Optional.of(engine.removeLink(id)), Optional.empty(), Map.of()), false)
        .onComplete(ar -> {
          if (ar.failed()) {
            ctx.fail(ar.cause());
            return;
          }
          if (answeredOutside(ctx, ar.result())) {
            return;
          }
          LinkChange c = ar.result().change().orElseThrow();
          switch (c.status()) {
            case DONE -> {
              ObjectNode out = JsonCodec.object();
              out.put("removed", id);
              out.put("version", c.version());
              Responses.json(ctx, 200, out);
            }
            case NOT_FOUND -> Responses.error(ctx, new ApiException(ErrorCode.NOT_FOUND, c.message()));
            default -> Responses.error(ctx, new ApiException(ErrorCode.POLICY_NOT_LOADED, c.message()));
          }
        });
  }

  private Optional<ClusterLinks> clusterLinks() {
    return cluster == null ? Optional.empty() : cluster.links();
  }

  /**
   * Answers a cluster write that never reached the links: link writes off on this member (409), or
   * members that could not serve the edited bundle (422, each member's reason; nothing changed).
   */
  private static boolean answeredOutside(RoutingContext ctx, ClusterLinks.Outcome o) {
    if (o.unavailable().isPresent()) {
      Responses.error(ctx, new ApiException(ErrorCode.LINKS_CLUSTERED, o.unavailable().get()));
      return true;
    }
    if (o.change().isEmpty()) {
      ObjectNode details = JsonCodec.object();
      ObjectNode refusals = details.putObject("refusals");
      o.refusals().forEach(refusals::put);
      String first = o.refusals().entrySet().stream().findFirst()
          .map(e -> e.getKey() + ": " + e.getValue().lines().findFirst().orElse("")).orElse("no member answered");
      Responses.error(ctx, new ApiException(ErrorCode.BUNDLE_REFUSED, "the link was refused and no member "
          + "switched: " + first, details));
      return true;
    }
    return false;
  }

  /** A refused link: {@code invalid_request}, naming the JSON path and the diagnostic's code and help. */
  private static ApiException refused(Diagnostic d) {
    ObjectNode details = JsonCodec.object();
    details.put("path", d.jsonPath().orElse("$"));
    details.put("diagnostic", d.code().id());
    d.help().ifPresent(h -> details.put("help", h));
    return new ApiException(ErrorCode.INVALID_REQUEST, d.message(), details);
  }

  /** The {@code templates} and {@code links} parts of {@code GET /v1/policies}. */
  static void describe(ObjectNode out, PolicySet set) {
    ArrayNode templates = out.putArray("templates");
    for (Catalog.Template t : set.catalog().templates()) {
      ObjectNode o = templates.addObject();
      o.put("id", t.id());
      o.put("policy", t.policy());
      o.put("effect", t.effect());
      t.slots().forEach(o.putArray("slots")::add);
    }
    Set<String> added = new HashSet<>();
    set.addedLinks().forEach(l -> added.add(l.id()));
    ArrayNode links = out.putArray("links");
    for (Link l : set.catalog().links()) {
      links.add(link(l, added.contains(l.id()) ? "api" : "file"));
    }
  }

  private static ObjectNode link(Link l, String source) {
    ObjectNode o = JsonCodec.object();
    o.put("id", l.id());
    o.put("template", l.template());
    ObjectNode slots = o.putObject("slots");
    l.slots().forEach((k, v) -> {
      ObjectNode e = slots.putObject(k);
      e.put("type", v.type());
      e.put("id", v.id());
    });
    o.put("source", source);
    return o;
  }
}

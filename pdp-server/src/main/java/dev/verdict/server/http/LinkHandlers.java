package dev.verdict.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.engine.Engine;
import dev.verdict.engine.LinkChange;
import dev.verdict.lang.eval.Catalog;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.link.Link;
import dev.verdict.lang.link.LinkReader;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.server.cluster.ClusterPolicyService;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code POST /v1/policies/links} (create a link) and {@code DELETE /v1/policies/links/{id}}; both
 * behind the admin guard. Links created here are kept by the engine and applied to every set it
 * loads afterwards. They are per node: in a cluster they are refused (a node with links of its own
 * would disagree with the others' version), and links belong in the bundle's {@code *.links.json}.
 */
final class LinkHandlers {
  private final Engine engine;
  private final ClusterPolicyService cluster;

  LinkHandlers(Engine engine, ClusterPolicyService cluster) {
    this.engine = engine;
    this.cluster = cluster;
  }

  void create(RoutingContext ctx) {
    perNodeOnly();
    ObjectNode body = JsonCodec.parseObject(ctx.body().buffer());
    // re-indexing the links takes a moment with many of them: off the event loop
    ctx.vertx().executeBlocking(() -> add(body), false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      LinkChange c = ar.result();
      switch (c.status()) {
        case DONE -> {
          ObjectNode out = link(c.link().orElseThrow(), "api");
          out.put("version", c.version());
          Responses.json(ctx, 201, out);
        }
        case REFUSED -> Responses.error(ctx, refused(c.problems().get(0)));
        case FULL -> Responses.error(ctx, new ApiException(ErrorCode.LINKS_FULL, c.message()));
        default -> Responses.error(ctx, new ApiException(ErrorCode.POLICY_NOT_LOADED, c.message()));
      }
    });
  }

  /** Reads and adds the link of {@code body}; a malformed one is refused like one that does not fit. */
  private LinkChange add(ObjectNode body) {
    LinkReader.Result read = LinkReader.read(body, "the request");
    if (!read.diagnostics().isEmpty()) {
      return new LinkChange(LinkChange.Status.REFUSED, "", read.diagnostics(), read.diagnostics().get(0).message());
    }
    return engine.addLink(read.links().get(0));
  }

  void delete(RoutingContext ctx) {
    perNodeOnly();
    String id = ctx.pathParam("id");
    ctx.vertx().executeBlocking(() -> engine.removeLink(id), false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      LinkChange c = ar.result();
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

  private void perNodeOnly() {
    if (cluster != null && cluster.clustered()) {
      throw new ApiException(ErrorCode.LINKS_CLUSTERED, "links over the API are kept per node, and this node is in a "
          + "cluster: write the links into a `*.links.json` file of the policy bundle and push it");
    }
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

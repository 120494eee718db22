package dev.verdict.server.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.Responses;
import dev.verdict.server.policy.PolicySnapshot;
import dev.verdict.server.policy.PolicyStore;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /v1/cluster} (admin): the cluster's members, this node marked, each with the
 * policy version it serves and whether it is ready, and whether the cluster is settled (no
 * partition migrating, every backup in place). A node running alone answers with itself.
 */
public final class ClusterEndpoint {
  private final Optional<HazelcastInstance> member;
  private final Optional<MemberStatus> statuses;
  private final PolicyStore store;
  private final BooleanSupplier draining;

  public ClusterEndpoint(Optional<HazelcastInstance> member, Optional<MemberStatus> statuses, PolicyStore store,
      BooleanSupplier draining) {
    this.member = member;
    this.statuses = statuses;
    this.store = store;
    this.draining = draining;
  }

  public void handle(RoutingContext ctx) {
    if (member.isEmpty()) {
      ObjectNode out = JsonCodec.object();
      out.putNull("cluster");
      out.put("size", 1);
      out.put("settled", true);
      ObjectNode self = out.putArray("members").addObject();
      self.putNull("address");
      self.putNull("uuid");
      self.put("self", true);
      Optional<PolicySnapshot> s = store.current();
      self.put("policyVersion", s.map(PolicySnapshot::version).orElse(""));
      self.put("ready", s.isPresent() && !draining.getAsBoolean());
      Responses.json(ctx, 200, out);
      return;
    }
    HazelcastInstance hz = member.get();
    // Whether the cluster is settled asks the other members: off the event loop.
    ctx.vertx().executeBlocking(() -> describe(hz), false).onComplete(ar -> {
      if (ar.succeeded()) {
        Responses.json(ctx, 200, ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private ObjectNode describe(HazelcastInstance hz) {
    ObjectNode out = JsonCodec.object();
    out.put("cluster", hz.getConfig().getClusterName());
    java.util.Set<Member> members = hz.getCluster().getMembers();
    out.put("size", members.size());
    boolean settled;
    try {
      settled = hz.getPartitionService().isClusterSafe();
    } catch (RuntimeException e) {
      settled = false; // a member left while it was asked
    }
    out.put("settled", settled);
    ArrayNode list = out.putArray("members");
    for (Member m : members) {
      ObjectNode o = list.addObject();
      o.put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort());
      o.put("uuid", m.getUuid().toString());
      o.put("self", m.localMember());
      Optional<MemberStatus.Status> s = statuses.flatMap(st -> st.of(m));
      if (s.isPresent()) {
        o.put("policyVersion", s.get().version());
        o.put("ready", s.get().ready());
      } else {
        o.putNull("policyVersion"); // not published yet, or not reached this member yet
        o.put("ready", false);
      }
    }
    return out;
  }
}

package dev.verdict.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Each member's policy version and readiness, shared with every other member: one small entry
 * per member (keyed by its uuid) in a replicated map, so any member can say who serves what
 * without asking. A replicated map is weakly consistent (a lost update is not resent), so a
 * member publishes its status again whenever it changes, periodically, when a member joins and
 * after a split brain merged (a member that merged back has the other side's map); the entry of a
 * member that left is removed, and only the cluster's current members are read anyway.
 */
public final class MemberStatus {
  static final String MAP = "verdict-members";
  /** A status entry is a few hundred bytes; anything longer is not one of ours. */
  private static final int MAX_ENTRY_CHARS = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HazelcastInstance hz;
  private volatile String published;

  public MemberStatus(HazelcastInstance hz) {
    this.hz = hz;
    hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
        republish();
      }
    });
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        republish();
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        try {
          map().remove(e.getMember().getUuid().toString());
        } catch (RuntimeException ex) {
          // this member is stopping too; its map goes with it
        }
      }
    });
  }

  /**
   * One member's status.
   *
   * @param version the policy version it serves ("" before any)
   * @param ready whether it is ready by its own account (loaded, not joining, not draining);
   *     agreeing with the others on the version is judged by the reader
   * @param reason why it is not ready, "" when it is
   */
  public record Status(String address, String version, boolean ready, String reason) {}

  /** Publishes this member's status (it replaces the previous one). */
  public void publish(String version, boolean ready, String reason) {
    ObjectNode o = JSON.createObjectNode();
    o.put("address", hz.getCluster().getLocalMember().getAddress().toString());
    o.put("version", version);
    o.put("ready", ready);
    o.put("reason", reason);
    String key = hz.getCluster().getLocalMember().getUuid().toString();
    String value = o.toString();
    published = value;
    if (!value.equals(map().get(key))) {
      map().put(key, value);
    }
  }

  private void republish() {
    String value = published;
    if (value == null) {
      return;
    }
    try {
      map().put(hz.getCluster().getLocalMember().getUuid().toString(), value);
    } catch (RuntimeException e) {
      // not running (shutting down, or restarting in a merge); the next event publishes again
    }
  }

  /** What {@code member} last published; empty when nothing of it has reached this member yet. */
  public Optional<Status> of(Member member) {
    return parse(map().get(member.getUuid().toString()));
  }

  /** Takes this member's entry out (it is leaving). */
  public void withdraw() {
    published = null;
    map().remove(hz.getCluster().getLocalMember().getUuid().toString());
  }

  /** The current members' statuses by uuid, in the cluster's member order; a member not yet published is absent. */
  public Map<UUID, Status> members() {
    Map<UUID, Status> out = new LinkedHashMap<>();
    ReplicatedMap<String, String> m = map();
    for (Member member : hz.getCluster().getMembers()) {
      String raw = m.get(member.getUuid().toString());
      parse(raw).ifPresent(s -> out.put(member.getUuid(), s));
    }
    return out;
  }

  /**
   * Why a member serving {@code mine} should not be ready: another version is served by more of
   * the ready members than {@code mine} is. In a tie (two members, each on its own version, in
   * the middle of a rolling deploy) neither is held back.
   */
  public Optional<String> disagreement(String mine) {
    return disagreement(mine, members().values().stream().filter(Status::ready).map(Status::version)
        .filter(v -> !v.isEmpty()).toList());
  }

  static Optional<String> disagreement(String mine, Collection<String> served) {
    Map<String, Long> counts = served.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
    long ours = counts.getOrDefault(mine, 0L);
    Optional<Map.Entry<String, Long>> top = counts.entrySet().stream()
        .filter(e -> !e.getKey().equals(mine))
        .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    if (top.isEmpty() || top.get().getValue() <= ours) {
      return Optional.empty();
    }
    return Optional.of("serving " + (mine.isEmpty() ? "no policy set" : mine) + " but " + top.get().getValue()
        + " of " + served.size() + " ready members serve " + top.get().getKey());
  }

  private static Optional<Status> parse(String raw) {
    if (raw == null || raw.length() > MAX_ENTRY_CHARS) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(raw);
      if (n == null || !n.path("version").isTextual() || !n.path("ready").isBoolean()) {
        return Optional.empty();
      }
      return Optional.of(new Status(n.path("address").asText(""), n.path("version").asText(),
          n.path("ready").asBoolean(), n.path("reason").asText("")));
    } catch (IOException e) {
      return Optional.empty(); // not an entry of ours: it says nothing about that member
    }
  }

  private ReplicatedMap<String, String> map() {
    return hz.getReplicatedMap(MAP);
  }
}

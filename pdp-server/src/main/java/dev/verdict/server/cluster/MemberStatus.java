package dev.verdict.server.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What each member serves, as the cluster sees it: its policy version and whether it is ready.
 * Each member publishes its own in a small replicated map (one short entry per member, its
 * entry removed when it leaves), so any member can say what every member serves without asking
 * them. Replicated maps are weakly consistent: an entry reaches the others within milliseconds
 * normally, and a member's next publication repairs a lost one.
 */
public final class MemberStatus {
  static final String MEMBERS = "verdict-members";

  /** @param policyVersion empty while the member serves nothing */
  public record Status(String policyVersion, boolean ready) {}

  private final HazelcastInstance hz;
  private final ReplicatedMap<String, String> map;
  private volatile String published;

  public MemberStatus(HazelcastInstance hz) {
    this.hz = hz;
    this.map = hz.getReplicatedMap(MEMBERS);
    // A member that merged back after a split brain has a new id and the other side's map:
    // publishing again when members change or a merge completes puts its entry back.
    hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) {
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
        map.remove(e.getMember().getUuid().toString());
      }
    });
  }

  /** Publishes this member's version and readiness. */
  public void publish(String policyVersion, boolean ready) {
    published = (ready ? "1 " : "0 ") + policyVersion;
    republish();
  }

  private void republish() {
    String value = published;
    if (value == null) {
      return;
    }
    try {
      map.put(hz.getCluster().getLocalMember().getUuid().toString(), value);
    } catch (RuntimeException e) {
      // not running (shutting down or restarting in a merge); the next event publishes again
    }
  }

  /** What {@code member} last published; empty when nothing has reached this member yet. */
  public Optional<Status> of(Member member) {
    return Optional.ofNullable(map.get(member.getUuid().toString()))
        .filter(v -> v.length() >= 2)
        .map(v -> new Status(v.substring(2), v.charAt(0) == '1'));
  }

  /** Every member's status as published, by member id. */
  public Map<UUID, Optional<Status>> all() {
    Map<UUID, Optional<Status>> out = new java.util.LinkedHashMap<>();
    for (Member m : hz.getCluster().getMembers()) {
      out.put(m.getUuid(), of(m));
    }
    return out;
  }
}

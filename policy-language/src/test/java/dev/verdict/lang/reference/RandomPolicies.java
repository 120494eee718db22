package dev.verdict.lang.reference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of small policy sets and requests over a shared vocabulary: a few
 * resource types and actions, plain and derived roles, nested action groups, rules with
 * random conditions, field rules, an entity data file, and requests that sometimes lack an
 * attribute or carry one of the wrong type so that the fail-closed paths are exercised.
 */
final class RandomPolicies {
  static final List<String> ALL_TYPES = List.of("Doc", "Folder", "Account", "Team");
  static final List<String> ACTIONS = List.of("read", "write", "delete", "share", "list");
  static final List<String> PLAIN_ROLES = List.of("admin", "viewer", "editor");
  static final List<String> DERIVED_ROLES = List.of("owner", "member", "peer");
  static final List<String> READ_PATHS = List.of("ssn", "balance", "holder.email", "items[].price", "number");
  static final List<String> WRITE_PATHS = List.of("owner", "tenant", "items[].price", "holder.name");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Random rnd;
  final List<String> types = new ArrayList<>();
  final List<String> groups = new ArrayList<>();
  final List<String> derived = new ArrayList<>();
  private int ids;

  RandomPolicies(long seed) {
    this.rnd = new Random(seed);
  }

  // ---- policies ---------------------------------------------------------------

  /** The policy source; also fixes the vocabulary requests are drawn from. */
  String policySource() {
    types.clear();
    groups.clear();
    derived.clear();
    for (String t : ALL_TYPES) {
      if (types.size() < 2 || rnd.nextInt(3) == 0) {
        types.add(t);
      }
    }
    StringBuilder b = new StringBuilder();
    if (rnd.nextBoolean()) {
      b.append("actions edit = write, delete\n");
      groups.add("edit");
      if (rnd.nextBoolean()) {
        b.append("actions manage = edit, share\n");
        groups.add("manage");
      }
    }
    for (String r : DERIVED_ROLES) {
      if (rnd.nextInt(3) == 0) {
        derived.add(r);
        String on = rnd.nextInt(3) == 0 ? "*" : pick(types);
        b.append("role ").append(r).append(" on ").append(on).append(" when ").append(bool(1)).append('\n');
      }
    }
    int policies = 1 + rnd.nextInt(3);
    for (int p = 0; p < policies; p++) {
      String on = rnd.nextInt(4) == 0 ? "*" : pick(types);
      b.append("policy p").append(p).append(" on ").append(on).append(" {\n");
      int rules = 1 + rnd.nextInt(4);
      for (int i = 0; i < rules; i++) {
        b.append("  ").append(rule()).append('\n');
      }
      if (rnd.nextInt(3) > 0) {
        b.append("  fields read").append(blockActions()).append(" {\n");
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
          b.append("    ").append(pick(READ_PATHS));
          if (rnd.nextInt(4) == 0) {
            b.append(", ").append(pick(READ_PATHS));
          }
          b.append(": ").append(effect()).append(fieldCondition()).append('\n');
        }
        b.append("  }\n");
      }
      if (rnd.nextInt(3) == 0) {
        b.append("  fields write").append(blockActions()).append(" {\n");
        int n = 1 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) {
          b.append("    ").append(pick(WRITE_PATHS)).append(": deny").append(fieldCondition()).append('\n');
        }
        b.append("  }\n");
      }
      b.append("}\n");
    }
    // every action known, whichever rules were drawn, so that a field block may name any
    b.append("actions every_action = ").append(String.join(", ", ACTIONS)).append('\n');
    return b.toString();
  }

  /** Mostly no `on`; else one or two actions or groups (issue 13 gap 8). */
  private String blockActions() {
    if (rnd.nextInt(3) > 0) {
      return "";
    }
    List<String> pool = new ArrayList<>(ACTIONS);
    pool.addAll(groups);
    String s = " on " + pick(pool);
    return rnd.nextBoolean() ? s : s + ", " + pick(pool);
  }

  private String rule() {
    StringBuilder b = new StringBuilder();
    if (rnd.nextInt(3) == 0) {
      b.append("@id(\"r").append(ids++).append("\") ");
    }
    b.append(rnd.nextInt(10) < 3 ? "forbid " : "permit ");
    if (rnd.nextInt(10) == 0) {
      b.append('*');
    } else {
      List<String> pool = new ArrayList<>(ACTIONS);
      pool.addAll(groups);
      String first = pick(pool);
      b.append(first);
      if (rnd.nextInt(3) == 0) {
        pool.remove(first);
        b.append(", ").append(pick(pool));
      }
    }
    if (rnd.nextBoolean()) {
      b.append(" to ").append(roles());
    }
    int conditions = rnd.nextInt(3);
    for (int i = 0; i < conditions; i++) {
      b.append(rnd.nextInt(3) == 0 ? " unless " : " when ").append(bool(2));
    }
    return b.toString();
  }

  private String roles() {
    List<String> pool = new ArrayList<>(PLAIN_ROLES);
    pool.addAll(derived);
    String first = pick(pool);
    if (rnd.nextInt(3) == 0) {
      pool.remove(first);
      return first + ", " + pick(pool);
    }
    return first;
  }

  private String effect() {
    switch (rnd.nextInt(4)) {
      case 0:
        return "hide";
      case 1:
        return "redact";
      case 2:
        return "hash";
      default:
        return "partial(" + (1 + rnd.nextInt(6)) + ")";
    }
  }

  /** None, one, or now and then two (`when … unless …`, issue 13 gap 8). */
  private String fieldCondition() {
    String first = oneFieldCondition();
    return first.isEmpty() || rnd.nextInt(4) > 0 ? first : first + oneFieldCondition();
  }

  private String oneFieldCondition() {
    switch (rnd.nextInt(3)) {
      case 0:
        return "";
      case 1:
        return (rnd.nextBoolean() ? " when " : " unless ") + roles();
      default:
        return (rnd.nextBoolean() ? " when " : " unless ") + bool(1);
    }
  }

  /** A condition: atoms combined with and, or, not and if, nested up to {@code depth}. */
  String bool(int depth) {
    if (depth > 0 && rnd.nextInt(3) == 0) {
      switch (rnd.nextInt(4)) {
        case 0:
          return "(" + bool(depth - 1) + " and " + bool(depth - 1) + ")";
        case 1:
          return "(" + bool(depth - 1) + " or " + bool(depth - 1) + ")";
        case 2:
          return "not (" + bool(depth - 1) + ")";
        default:
          return "(if " + bool(depth - 1) + " then " + bool(depth - 1) + " else " + bool(depth - 1) + ")";
      }
    }
    return atom();
  }

  private String atom() {
    String[] cmp = {"==", "!=", "<", "<=", ">", ">="};
    int n = rnd.nextInt(6);
    switch (rnd.nextInt(34)) {
      case 0: return "resource.owner == principal.id";
      case 1: return "principal.level " + pick(cmp) + " " + n;
      case 2: return "resource.level <= principal.level";
      case 3: return "context.mfa";
      case 4: return "context.mfa == true";
      case 5: return "\"" + pick(List.of("a", "b", "c")) + "\" in resource.tags";
      case 6: return "containsAny(resource.tags, [\"a\", \"b\"])";
      case 7: return "containsAll(resource.tags, [\"a\"])";
      case 8: return "resource.dept == principal.dept";
      case 9: return "principal in Group::\"g" + rnd.nextInt(3) + "\"";
      case 10: return "principal in resource.readers";
      case 11: return "resource in Folder::\"f" + rnd.nextInt(3) + "\"";
      case 12: return pick(List.of("resource has owner", "context has mfa", "resource.owner has dept", "context has \"ip\""));
      case 13: return "resource.owner like \"" + pick(List.of("a*", "*o*", "b*b", "*")) + "\"";
      case 14: return groups.isEmpty() ? "action == \"read\"" : "action in " + pick(groups);
      case 15: return "action in [\"read\", \"list\"]";
      case 16: return "resource.amount + 0.1 " + pick(cmp) + " 1.5";
      case 17: return "resource.amount - principal.level <= 0";
      case 18: return "size(resource.tags) >= 2";
      case 19: return "lower(principal.id) == \"alice\"";
      case 20: return "startsWith(resource.id, \"d\")";
      case 21: return "cidr(context.ip, \"" + pick(List.of("10.0.0.0/8", "2001:db8::/32", "192.168.0.0/16")) + "\")";
      case 22: return pick(List.of("isLoopback(context.ip)", "isMulticast(ip(context.ip))"));
      case 23: return pick(List.of("hour(context.now) < 12", "weekday(context.now) >= 6"));
      case 24: return "before(context.now, resource.expires)";
      case 25: return "time(context.now) + 1h > time(resource.expires)";
      case 26: return "context.now - resource.expires < duration(\"-2h\")";
      case 27: return pick(List.of("principal is User", "resource is " + pick(types), "principal is User in Group::\"g1\""));
      case 28: return "resource.owner.dept == \"eng\"";
      case 29: return "resource.frozen";
      case 30: return "{a: principal.level} == {a: " + n + "}";
      case 31: return "[principal.dept, \"eng\"] == [\"eng\"]";
      case 32: return "\"admin\" in principal.roles";
      default: return pick(List.of("context[\"mfa\"] == true", "-principal.level < -2"));
    }
  }

  // ---- entity data and requests ----------------------------------------------

  /** Users alice and bob, groups g0 ← g1, g2, folders f0 ← f1 ← f2. */
  ArrayNode entityData() {
    ArrayNode a = F.arrayNode();
    a.add(entity("User", "alice", "dept", "eng", ref("Group", "g1")));
    a.add(entity("User", "bob", "dept", "sales", ref("Group", "g2")));
    a.add(entity("Group", "g1", null, null, ref("Group", "g0")));
    a.add(entity("Group", "g0", null, null));
    a.add(entity("Group", "g2", null, null));
    a.add(entity("Folder", "f0", null, null));
    a.add(entity("Folder", "f1", null, null, ref("Folder", "f0")));
    a.add(entity("Folder", "f2", null, null, ref("Folder", "f1")));
    return a;
  }

  private static ObjectNode entity(String type, String id, String attr, String value, ObjectNode... parents) {
    ObjectNode e = F.objectNode();
    e.set("uid", ref(type, id));
    ObjectNode attrs = e.putObject("attrs");
    if (attr != null) {
      attrs.put(attr, value);
    }
    ArrayNode ps = e.putArray("parents");
    for (ObjectNode p : parents) {
      ps.add(p);
    }
    return e;
  }

  private static ObjectNode ref(String type, String id) {
    ObjectNode r = F.objectNode();
    r.put("type", type);
    r.put("id", id);
    return r;
  }

  private static ObjectNode entityValue(String type, String id) {
    ObjectNode o = F.objectNode();
    o.set("__entity", ref(type, id));
    return o;
  }

  ObjectNode request() {
    ObjectNode r = F.objectNode();
    ObjectNode p = r.putObject("principal");
    if (rnd.nextInt(10) == 0) {
      p.put("type", "Service");
    }
    p.put("id", pick(List.of("alice", "bob", "carol", "dave")));
    ArrayNode roles = p.putArray("roles");
    for (String role : PLAIN_ROLES) {
      if (rnd.nextInt(3) == 0) {
        roles.add(role);
      }
    }
    if (!derived.isEmpty() && rnd.nextInt(6) == 0) {
      roles.add(pick(derived));
    }
    switch (rnd.nextInt(10)) {
      case 0: break;
      case 1: p.put("level", "3"); break;
      default: p.put("level", rnd.nextInt(6));
    }
    if (rnd.nextInt(7) > 0) {
      p.put("dept", pick(List.of("eng", "sales")));
    }
    if (rnd.nextInt(10) < 3) {
      p.putArray("parents").add(ref("Group", "g" + rnd.nextInt(3)));
    }

    ObjectNode res = r.putObject("resource");
    res.put("type", rnd.nextInt(10) == 0 ? "Other" : pick(types));
    res.put("id", pick(List.of("d1", "x2")));
    switch (rnd.nextInt(4)) {
      case 0: break;
      case 1: res.set("owner", entityValue("User", pick(List.of("alice", "bob", "erin", "zoe")))); break;
      default: res.put("owner", pick(List.of("alice", "bob", "carol")));
    }
    switch (rnd.nextInt(5)) {
      case 0: break;
      case 1: res.put("level", "high"); break;
      default: res.put("level", rnd.nextInt(6));
    }
    if (rnd.nextInt(5) > 0) {
      res.put("dept", pick(List.of("eng", "sales")));
    }
    switch (rnd.nextInt(5)) {
      case 0: break;
      case 1: res.put("tags", "a"); break;
      default:
        ArrayNode tags = res.putArray("tags");
        for (String t : List.of("a", "b", "c")) {
          if (rnd.nextBoolean()) {
            tags.add(t);
          }
        }
    }
    if (rnd.nextBoolean()) {
      ArrayNode readers = res.putArray("readers");
      readers.add(entityValue("Group", "g" + rnd.nextInt(3)));
      if (rnd.nextBoolean()) {
        readers.add(entityValue("User", "bob"));
      }
    }
    switch (rnd.nextInt(5)) {
      case 0: break;
      case 1: res.put("frozen", "yes"); break;
      default: res.put("frozen", rnd.nextBoolean());
    }
    if (rnd.nextInt(4) > 0) {
      res.put("amount", new java.math.BigDecimal(pick(List.of("0.5", "1.4", "1.45", "2", "-0.1"))));
    }
    switch (rnd.nextInt(4)) {
      case 0: break;
      case 1: res.put("expires", "soon"); break;
      default: res.put("expires", pick(List.of("2024-03-08T12:00:00Z", "2024-03-09T01:30:00+02:00")));
    }
    if (rnd.nextInt(10) < 4) {
      res.putArray("parents").add(ref("Folder", "f" + rnd.nextInt(4)));
    }

    List<String> pool = new ArrayList<>(ACTIONS);
    pool.addAll(groups);
    pool.add("approve");
    r.put("action", pick(pool));

    ObjectNode ctx = r.putObject("context");
    switch (rnd.nextInt(5)) {
      case 0: break;
      case 1: ctx.put("mfa", "true"); break;
      default: ctx.put("mfa", rnd.nextBoolean());
    }
    if (rnd.nextInt(5) > 0) {
      ctx.put("ip", pick(List.of("10.1.2.3", "127.0.0.1", "::1", "2001:db8::5", "224.0.0.9", "ff02::1", "bogus",
          "192.168.0.1", "::ffff:10.9.8.7")));
    }
    if (rnd.nextInt(5) > 0) {
      ctx.put("now", pick(List.of("2024-03-08T10:00:00Z", "2024-03-09T23:59:59Z", "2024-03-10T13:00:00-05:00")));
    }

    if (rnd.nextInt(4) == 0) {
      ArrayNode es = r.putArray("entities");
      switch (rnd.nextInt(3)) {
        case 0:
          es.add(entity("Group", "g1", null, null));
          break;
        case 1:
          es.add(entity("User", "erin", "dept", "eng", ref("Group", "g1")));
          break;
        default:
          es.add(entity("Group", "g2", null, null, ref("Group", "g0")));
          es.add(entity("Folder", "f3", null, null, ref("Folder", "f2")));
      }
    }
    return r;
  }

  private <T> T pick(List<T> list) {
    return list.get(rnd.nextInt(list.size()));
  }

  private String pick(String[] list) {
    return list[rnd.nextInt(list.length)];
  }
}

package dev.verdict.sdk.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.plan.Plan;
import dev.verdict.lang.plan.PlanJson;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans run as SQL against decisions: for random policy sets over a table of documents (typed
 * columns that may be NULL, a set of tags in a child table, folders in a closure table), random
 * principals and actions, the rows the plan's {@code WHERE} selects are exactly the documents a
 * decision allows. On H2 always; on PostgreSQL when one answers at {@code VERDICT_TEST_PG_URL}
 * (default {@code jdbc:postgresql://localhost:5432/postgres?user=postgres}; {@code .ci/run}
 * starts one).
 */
class SqlPlanDifferentialTest {
  private static final long SEED = Long.getLong("verdict.sqlPlanSeed", 0x5a1_91a4L);
  private static final int SETS = 150;
  private static final int DOCS = 60;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-13T10:00:00Z"), ZoneOffset.UTC);
  private static final List<String> ACTIONS = List.of("read", "update", "delete");

  static final Columns COLUMNS = Columns.builder()
      .column("id", "d.id").column("tenant", "d.tenant").column("owner", "d.owner").column("level", "d.lvl")
      .column("frozen", "d.frozen")
      .set("tags", "SELECT t.tag FROM doc_tags t WHERE t.doc_id = d.id")
      .ancestors("Folder", "SELECT f.folder_id FROM doc_folders f WHERE f.doc_id = d.id")
      .build();

  @Test
  void onH2(@TempDir Path tmp) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:h2:mem:plans;DB_CLOSE_DELAY=-1")) {
      run(db, tmp);
    }
  }

  @Test
  void onPostgresql(@TempDir Path tmp) throws Exception {
    String url = System.getenv().getOrDefault("VERDICT_TEST_PG_URL",
        "jdbc:postgresql://localhost:5432/postgres?user=postgres");
    Connection db;
    try {
      db = DriverManager.getConnection(url);
    } catch (SQLException e) {
      Assumptions.assumeTrue(false, "no PostgreSQL server answers at " + url + " (" + e.getMessage()
          + "); set VERDICT_TEST_PG_URL or run .ci/run, which starts one");
      return;
    }
    try (db) {
      run(db, tmp);
    }
  }

  private void run(Connection db, Path tmp) throws Exception {
    Random rnd = new Random(SEED);
    try (Statement st = db.createStatement()) {
      st.execute("DROP TABLE IF EXISTS doc_tags");
      st.execute("DROP TABLE IF EXISTS doc_folders");
      st.execute("DROP TABLE IF EXISTS docs");
      st.execute("CREATE TABLE docs (id VARCHAR(20) PRIMARY KEY, tenant VARCHAR(20), owner VARCHAR(20),"
          + " lvl DECIMAL(10, 2), frozen BOOLEAN)");
      st.execute("CREATE TABLE doc_tags (doc_id VARCHAR(20), tag VARCHAR(20))");
      st.execute("CREATE TABLE doc_folders (doc_id VARCHAR(20), folder_id VARCHAR(20))");
    }
    List<EntityData> docs = documents(rnd);
    insert(db, docs);
    int compared = 0;
    int conditional = 0;
    int selected = 0;
    for (int s = 0; s < SETS; s++) {
      String source = policy(rnd);
      Path dir = Files.createDirectories(tmp.resolve("set" + s));
      Files.writeString(dir.resolve("docs.verdict"), source);
      Files.writeString(dir.resolve("folders.entities.json"), FOLDERS);
      Engine engine = Engine.builder(PolicySource.directory(dir)).clock(CLOCK).buildOrThrow();
      ActivePolicy active = engine.active().orElseThrow();
      for (int q = 0; q < 4; q++) {
        EntityData principal = principal(rnd);
        String action = ACTIONS.get(rnd.nextInt(ACTIONS.size()));
        Map<String, Value> context = rnd.nextBoolean() ? Map.of("mfa", Value.Bool.of(rnd.nextBoolean())) : Map.of();
        Plan plan = engine.plan(active, principal, "Doc", action, context);
        String json = PlanJson.write(plan).toString();
        PlanFilter filter = PlanFilter.parse(json);
        SqlWhere where = SqlWhere.of(filter, COLUMNS);
        TreeSet<String> fromSql = new TreeSet<>();
        try (PreparedStatement st = db.prepareStatement("SELECT d.id FROM docs d WHERE " + where.sql())) {
          where.bind(st, 1);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              fromSql.add(rs.getString(1));
            }
          }
        }
        TreeSet<String> allowed = new TreeSet<>();
        for (EntityData doc : docs) {
          if (engine.decide(active, new Request(principal, doc, action, context, List.of()),
              dev.verdict.engine.DecideOptions.ENFORCE).allowed()) {
            allowed.add(doc.uid().id());
          }
        }
        if (!fromSql.equals(allowed)) {
          fail("set %d: SQL selects %s, decisions allow %s%n--- policy%n%s--- principal %s, action %s, context %s"
              + "%n--- plan%n%s%n--- sql%n%s %s", s, fromSql, allowed, source, principal, action, context, json,
              where.sql(), where.parameters());
        }
        compared++;
        conditional += plan.kind() == Plan.Kind.CONDITIONAL ? 1 : 0;
        selected += fromSql.size();
      }
    }
    System.out.printf("sql plan differential on %s: %d plans, %d conditional, %d rows selected%n",
        db.getMetaData().getDatabaseProductName(), compared, conditional, selected);
    assertThat(conditional).isGreaterThan(compared / 5);
    assertThat(selected).isGreaterThan(compared * DOCS / 20);
    assertThat(selected).isLessThan(compared * DOCS * 9 / 10);
  }

  private static final String FOLDERS = "["
      + "{\"uid\": {\"type\": \"Folder\", \"id\": \"f0\"}, \"attrs\": {}, \"parents\": []},"
      + "{\"uid\": {\"type\": \"Folder\", \"id\": \"f1\"}, \"attrs\": {}, \"parents\": [{\"type\": \"Folder\", \"id\": \"f0\"}]},"
      + "{\"uid\": {\"type\": \"Folder\", \"id\": \"f2\"}, \"attrs\": {}, \"parents\": [{\"type\": \"Folder\", \"id\": \"f1\"}]},"
      + "{\"uid\": {\"type\": \"Folder\", \"id\": \"f3\"}, \"attrs\": {}, \"parents\": []}]";

  /** Each folder with its ancestors, as the closure table holds them. */
  private static final Map<String, List<String>> CLOSURE = Map.of(
      "f0", List.of("f0"), "f1", List.of("f1", "f0"), "f2", List.of("f2", "f1", "f0"), "f3", List.of("f3"));

  private static List<EntityData> documents(Random rnd) {
    List<EntityData> out = new ArrayList<>();
    for (int i = 0; i < DOCS; i++) {
      Map<String, Value> attrs = new HashMap<>();
      maybe(rnd, attrs, "tenant", new Value.Str(pick(rnd, "t1", "t2")));
      maybe(rnd, attrs, "owner", new Value.Str(pick(rnd, "alice", "bob", "anna", "carol")));
      maybe(rnd, attrs, "level", new Value.Num(new BigDecimal(pick(rnd, "0", "1.5", "2", "3", "5"))));
      maybe(rnd, attrs, "frozen", Value.Bool.of(rnd.nextBoolean()));
      java.util.Set<Value> tags = new java.util.HashSet<>();
      for (String t : List.of("a", "b", "c")) {
        if (rnd.nextInt(3) == 0) {
          tags.add(new Value.Str(t));
        }
      }
      attrs.put("tags", new Value.SetOf(tags));
      List<EntityUid> parents = rnd.nextInt(3) == 0 ? List.of()
          : List.of(new EntityUid("Folder", pick(rnd, "f0", "f1", "f2", "f3")));
      out.add(EntityData.of(new EntityUid("Doc", "d" + i), attrs, parents));
    }
    return out;
  }

  private static void maybe(Random rnd, Map<String, Value> attrs, String name, Value v) {
    if (rnd.nextInt(5) > 0) {
      attrs.put(name, v);
    }
  }

  private static void insert(Connection db, List<EntityData> docs) throws SQLException {
    try (PreparedStatement d = db.prepareStatement("INSERT INTO docs VALUES (?, ?, ?, ?, ?)");
        PreparedStatement t = db.prepareStatement("INSERT INTO doc_tags VALUES (?, ?)");
        PreparedStatement f = db.prepareStatement("INSERT INTO doc_folders VALUES (?, ?)")) {
      for (EntityData doc : docs) {
        String id = doc.uid().id();
        d.setString(1, id);
        d.setObject(2, doc.attrs().get("tenant") instanceof Value.Str s ? s.value() : null, java.sql.Types.VARCHAR);
        d.setObject(3, doc.attrs().get("owner") instanceof Value.Str s ? s.value() : null, java.sql.Types.VARCHAR);
        d.setObject(4, doc.attrs().get("level") instanceof Value.Num n ? n.value() : null, java.sql.Types.DECIMAL);
        d.setObject(5, doc.attrs().get("frozen") instanceof Value.Bool b ? b.value() : null, java.sql.Types.BOOLEAN);
        d.executeUpdate();
        for (Value tag : ((Value.SetOf) doc.attrs().get("tags")).items()) {
          t.setString(1, id);
          t.setString(2, ((Value.Str) tag).value());
          t.executeUpdate();
        }
        for (EntityUid p : doc.parents()) {
          for (String folder : CLOSURE.get(p.id())) {
            f.setString(1, id);
            f.setString(2, folder);
            f.executeUpdate();
          }
        }
      }
    }
  }

  private static EntityData principal(Random rnd) {
    Map<String, Value> attrs = new HashMap<>();
    attrs.put("tenant", new Value.Str(pick(rnd, "t1", "t2")));
    attrs.put("level", Value.Num.of(rnd.nextInt(5)));
    java.util.Set<Value> roles = new java.util.HashSet<>();
    for (String r : List.of("admin", "viewer", "editor")) {
      if (rnd.nextInt(3) == 0) {
        roles.add(new Value.Str(r));
      }
    }
    attrs.put("roles", new Value.SetOf(roles));
    return EntityData.of(new EntityUid("User", pick(rnd, "alice", "bob", "carol")), attrs, List.of());
  }

  private static String policy(Random rnd) {
    StringBuilder b = new StringBuilder();
    b.append("role owner on Doc when ").append(bool(rnd, 1)).append('\n');
    b.append("policy docs on Doc {\n");
    int rules = 1 + rnd.nextInt(4);
    for (int i = 0; i < rules; i++) {
      b.append("  ").append(rnd.nextInt(10) < 3 ? "forbid " : "permit ")
          .append(rnd.nextInt(4) == 0 ? "*" : pick(rnd, "read", "update", "delete", "read, update"));
      if (rnd.nextBoolean()) {
        b.append(" to ").append(pick(rnd, "admin", "viewer", "editor", "owner", "viewer, owner"));
      }
      for (int c = rnd.nextInt(3); c > 0; c--) {
        b.append(rnd.nextInt(3) == 0 ? " unless " : " when ").append(bool(rnd, 2));
      }
      b.append('\n');
    }
    return b.append("}\n").toString();
  }

  private static String bool(Random rnd, int depth) {
    if (depth > 0 && rnd.nextInt(3) == 0) {
      return switch (rnd.nextInt(3)) {
        case 0 -> "(" + bool(rnd, depth - 1) + " and " + bool(rnd, depth - 1) + ")";
        case 1 -> "(" + bool(rnd, depth - 1) + " or " + bool(rnd, depth - 1) + ")";
        default -> "not (" + bool(rnd, depth - 1) + ")";
      };
    }
    String[] cmp = {"==", "!=", "<", "<=", ">", ">="};
    return switch (rnd.nextInt(14)) {
      case 0 -> "resource.tenant == principal.tenant";
      case 1 -> "resource.owner == principal.id";
      case 2 -> "resource.level " + cmp[rnd.nextInt(cmp.length)] + " " + pick(rnd, "1", "2", "1.5");
      case 3 -> "resource.level >= principal.level";
      case 4 -> "resource.frozen";
      case 5 -> "\"" + pick(rnd, "a", "b") + "\" in resource.tags";
      case 6 -> "resource.owner like \"" + pick(rnd, "a*", "*o*", "*") + "\"";
      case 7 -> "resource has owner";
      case 8 -> "resource in Folder::\"f" + rnd.nextInt(4) + "\"";
      case 9 -> "resource.owner in [\"alice\", \"bob\"]";
      case 10 -> "resource.id == \"d" + rnd.nextInt(DOCS) + "\"";
      case 11 -> "principal.level > 2";
      case 12 -> "context.mfa == true";
      default -> "resource.tenant != \"t2\"";
    };
  }

  private static String pick(Random rnd, String... options) {
    return options[rnd.nextInt(options.length)];
  }
}

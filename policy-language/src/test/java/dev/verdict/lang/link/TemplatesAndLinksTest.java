package dev.verdict.lang.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.CheckResult;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.source.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates decide nothing alone; links from files and added at run time apply them per entity. */
class TemplatesAndLinksTest {
  static final String POLICY = """
      entity User
      entity Folder
      entity Document in Folder {
        locked: Bool
      }

      policy sharing on Document {
        @id("viewer")
        permit read when principal == ?principal when resource in ?resource
        @id("editor")
        permit read, update when principal == ?principal when resource == ?resource unless resource.locked
        @id("blocked")
        forbid * when principal == ?principal
      }
      """;

  static final String LINKS = """
      [
        {"id": "f1-bob", "template": "viewer",
         "slots": {"principal": {"type": "User", "id": "bob"}, "resource": {"type": "Folder", "id": "f1"}}},
        {"id": "d2-carol", "template": "editor",
         "slots": {"principal": {"type": "User", "id": "carol"}, "resource": {"type": "Document", "id": "d2"}}}
      ]
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Request request(String principal, String doc, String folder, String action, boolean locked)
      throws Exception {
    return RequestJson.parse(JSON.readTree("""
        {"principal": {"type": "User", "id": "%s"},
         "resource": {"type": "Document", "id": "%s", "locked": %s, "parents": [{"type": "Folder", "id": "%s"}]},
         "action": "%s"}
        """.formatted(principal, doc, locked, folder, action)));
  }

  private static PolicySet load(Path dir, String links) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    if (links != null) {
      Files.writeString(dir.resolve("shares.links.json"), links);
    }
    LoadResult loaded = Verdict.load(dir);
    assertThat(loaded.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
    return loaded.policySet().orElseThrow();
  }

  @Test
  void aTemplateAloneDecidesNothing(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, null);
    Decision d = Authorizer.decide(set, request("bob", "d1", "f1", "read", false));
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(d.reasons()).isEmpty();
    assertThat(set.catalog().templates()).extracting(t -> t.id()).containsExactly("viewer", "editor", "blocked");
    assertThat(set.catalog().rules()).isEmpty();
  }

  @Test
  void linksFromAFileApplyTheirTemplateToTheirEntitiesOnly(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, LINKS);
    // bob sees every document in folder f1 (`in`), and nothing else
    assertThat(Authorizer.decide(set, request("bob", "d1", "f1", "read", false)).reasons()).containsExactly("viewer#f1-bob");
    assertThat(Authorizer.decide(set, request("bob", "d9", "f2", "read", false)).outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(Authorizer.decide(set, request("alice", "d1", "f1", "read", false)).outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(Authorizer.decide(set, request("bob", "d1", "f1", "update", false)).outcome()).isEqualTo(Decision.Outcome.DENY);
    // carol edits d2 unless it is locked: the template's own conditions hold for its links
    assertThat(Authorizer.decide(set, request("carol", "d2", "f1", "update", false)).reasons()).containsExactly("editor#d2-carol");
    assertThat(Authorizer.decide(set, request("carol", "d2", "f1", "update", true)).outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(Authorizer.decide(set, request("carol", "d3", "f1", "update", false)).outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(set.catalog().links()).extracting(Link::id).containsExactly("f1-bob", "d2-carol");
  }

  @Test
  void linksAddedAtRunTimeApplyAndChangeTheVersion(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, LINKS);
    Link block = new Link("no-carol", "blocked", Map.of("principal", new EntityUid("User", "carol")));
    assertThat(set.checkLinks(List.of(new LinkRecord(block, dev.verdict.lang.source.Span.NONE, "$")),
        set.links().stream().map(Link::id).toList())).isEmpty();
    PolicySet linked = set.withLinks(List.of(block));
    assertThat(linked.version()).isNotEqualTo(set.version());
    Decision d = Authorizer.decide(linked, request("carol", "d2", "f1", "update", false), true);
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(d.reasons()).containsExactly("blocked#no-carol");
    assertThat(d.trace().orElseThrow().steps()).extracting(s -> s.id()).contains("blocked#no-carol");
    // removing it again gives the file's version back
    assertThat(linked.withLinks(List.of()).version()).isEqualTo(set.version());
  }

  @Test
  void aQueryPlanTurnsLinksOfTheResourceSlotIntoIdConditions(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, LINKS);
    dev.verdict.lang.eval.EntityData carol = dev.verdict.lang.eval.EntityData.of(new EntityUid("User", "carol"), Map.of(),
        List.of());
    dev.verdict.lang.plan.Plan update = dev.verdict.lang.eval.QueryPlanner.plan(set, carol, "Document", "update", Map.of());
    String filter = dev.verdict.lang.plan.FilterText.of(update.filter());
    assertThat(filter).contains("d2").contains("locked");
    assertThat(update.rules()).containsExactly("editor#d2-carol");
    dev.verdict.lang.eval.EntityData dave = dev.verdict.lang.eval.EntityData.of(new EntityUid("User", "dave"), Map.of(),
        List.of());
    assertThat(dev.verdict.lang.eval.QueryPlanner.plan(set, dave, "Document", "update", Map.of()).rules())
        .as("another principal's links fold away").isEmpty();
  }

  @Test
  void badLinksInAFileAreDiagnosedWithTheirPlace(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    Files.writeString(dir.resolve("shares.links.json"), """
        [
          {"id": "a", "template": "viewr", "slots": {"principal": {"type": "User", "id": "bob"}}},
          {"id": "b", "template": "viewer", "slots": {"principal": {"type": "User", "id": "bob"}}},
          {"id": "c", "template": "editor",
           "slots": {"principal": {"type": "User", "id": "bob"}, "resource": {"type": "Folder", "id": "f1"}}},
          {"id": "c", "template": "blocked", "slots": {"principal": {"type": "User", "id": "bob"}}},
          {"id": "d", "template": "blocked", "slots": {"principal": "bob"}}
        ]
        """);
    CheckResult check = Verdict.check(List.of(dir));
    List<String> seen = new ArrayList<>();
    for (Diagnostic d : check.diagnostics()) {
      seen.add(d.code().id() + " " + d.span().line() + ":" + d.span().column() + " " + d.jsonPath().orElse("") + " "
          + d.message() + " | " + d.help().orElse(""));
    }
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("V1504 2:3 $[0].template").contains("did you mean `viewer`"));
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("V1505 3:3 $[1].slots").contains("?resource"));
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("V1505 4:3 $[2].slots.resource.type")
        .contains("Document"));
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("V1506 6:3 $[3].id"));
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("V1503 7:3 $[4].slots.principal"));
    assertThat(Verdict.load(dir).ok()).isFalse();
  }

  @Test
  void templatesNeedAnIdAndSlotsStayInTheirPlace(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), """
        policy p on Document {
          permit read when principal == ?principal
          @id("t")
          permit read when resource.owner == ?principal
        }
        """);
    CheckResult check = Verdict.check(List.of(dir));
    assertThat(check.diagnostics()).extracting(d -> d.code().id() + " " + d.span().line())
        .contains("V1502 4");
    Files.writeString(dir.resolve("a.verdict"), """
        policy p on Document {
          permit read when principal == ?principal
        }
        """);
    assertThat(Verdict.check(List.of(dir)).diagnostics()).extracting(d -> d.code().id() + " " + d.span().line())
        .containsExactly("V1501 2");
  }
}

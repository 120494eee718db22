package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server-facing helpers: actions per type, known types, and RequestJson's part parsers. */
class PolicySetActionsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void actionsComeFromRulesAndRoutesButNotWildcards(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), """
        role owner on Account when resource.owner == principal.id
        policy accounts on Account {
          permit read, transfer to owner
          permit * to admin
        }
        policy docs on Document {
          permit view to admin
        }
        route GET "/accounts/{id}" -> Account[id].read
        """);
    PolicySet set = Verdict.load(dir).policySet().orElseThrow();
    assertThat(set.actions("Account")).containsExactly("read", "transfer");
    assertThat(set.actions("Document")).containsExactly("view");
    assertThat(set.actions("Unknown")).isEmpty();
    assertThat(set.resourceTypes()).containsExactly("Account", "Document");
  }

  @Test
  void partsAreParsedWithTheirPaths() throws Exception {
    EntityData e = RequestJson.entityAt(JSON.readTree("{\"id\":\"alice\",\"roles\":[\"a\"],"
        + "\"parents\":[{\"type\":\"Group\",\"id\":\"g\"}]}"), "$.principal", "User", ValueTypes.NONE);
    assertThat(e.uid().type()).isEqualTo("User");
    assertThat(e.attrs()).containsKey("roles");
    assertThat(e.parents()).hasSize(1);
    assertThatThrownBy(() -> RequestJson.entityAt(JSON.readTree("{\"id\":\"x\",\"n\":null,\"bad\":[null]}"),
        "$.r", "User", ValueTypes.NONE)).isInstanceOfSatisfying(RequestJson.InvalidRequest.class,
            ex -> assertThat(ex.path()).isEqualTo("$.r.bad[0]"));
    assertThat(RequestJson.contextAt(null, "$.context", ValueTypes.NONE)).isEmpty();
    assertThat(RequestJson.contextAt(JSON.readTree("{\"mfa\":true}"), "$.context", ValueTypes.NONE)).containsKey("mfa");
    assertThatThrownBy(() -> RequestJson.contextAt(JSON.readTree("[]"), "$.c", ValueTypes.NONE))
        .isInstanceOfSatisfying(RequestJson.InvalidRequest.class, ex -> assertThat(ex.path()).isEqualTo("$.c"));
    assertThat(RequestJson.entitiesAt(JSON.readTree("[{\"uid\":{\"type\":\"G\",\"id\":\"g\"}}]"), "$.e", ValueTypes.NONE)).hasSize(1);
    assertThatThrownBy(() -> RequestJson.entitiesAt(JSON.readTree("[{\"uid\":{\"type\":\"G\"}}]"), "$.e", ValueTypes.NONE))
        .isInstanceOfSatisfying(RequestJson.InvalidRequest.class,
            ex -> assertThat(ex.path()).isEqualTo("$.e[0].uid.id"));
  }
}

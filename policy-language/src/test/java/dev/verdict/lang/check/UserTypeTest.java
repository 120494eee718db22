package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.Verdict;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `User` is always a known type, declared or not (docs/language.md; issue 9.10). */
class UserTypeTest {
  private static final String SCHEMA = """
      entity Doc in User { owner: User }
      policy docs on Doc { permit read when resource.owner == principal and resource.owner.dept == "eng" }
      """;
  private static final String DATA = """
      [{"uid": {"type": "User", "id": "alice"}, "attrs": {"dept": "eng"}, "parents": []},
       {"uid": {"type": "Doc", "id": "d1"}, "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}},
        "parents": [{"type": "User", "id": "alice"}]}]
      """;

  @Test
  void undeclaredUserIsAnAttributeTypeAParentTypeAndADataFileType() {
    var result = Verdict.check(new SourceSet(List.of(new Source("s.verdict", SCHEMA)),
        List.of(new Source("users.entities.json", DATA)), List.of()));
    assertThat(result.diagnostics()).isEmpty();
  }

  @Test
  void otherUndeclaredTypesInDataFilesAreStillReported() {
    var result = Verdict.check(new SourceSet(List.of(new Source("s.verdict", SCHEMA)),
        List.of(new Source("x.entities.json", "[{\"uid\": {\"type\": \"Usr\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": []}]")),
        List.of()));
    assertThat(result.diagnostics()).extracting(d -> d.code().id()).containsExactly("V0802");
  }
}

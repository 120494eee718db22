package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * An action no rule names is still allowed by a {@code permit *} on its resource type, so a
 * route or test naming it is no typo (issue 9.5); without such a rule it stays V0303.
 */
class PermitAnyActionTest {
  private static final String SET = """
      role admin
      policy accounts on Account {
        permit read
        permit * to admin
      }
      policy users on User { permit read }
      """;

  @Test
  void actionsCoveredOnlyByPermitAnyAreKnown() {
    assertThat(CheckerTableTest.check(SET + """
        route POST "/accounts/{id}/close" -> Account[id].close
        test "admins may close" {
          principal { id: "root", roles: ["admin"] }
          resource Account "a1"
          action close
          expect allow
        }
        """)).isEmpty();
  }

  @Test
  void aPermitAnyOnAnyTypeCoversEveryType() {
    assertThat(CheckerTableTest.check("role admin\npolicy all on * { permit * to admin }\n"
        + "route DELETE \"/users/{id}\" -> User[id].purge\n")).isEmpty();
  }

  @Test
  void actionsOnOtherTypesAreStillChecked() {
    assertThat(CheckerTableTest.check(SET + "route DELETE \"/users/{id}\" -> User[id].purge\n"))
        .extracting(Diagnostic::code, Diagnostic::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Code.UNKNOWN_ACTION, "unknown action `purge`"));
  }
}

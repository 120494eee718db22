package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * The checker and {@code action NAME { … }} (issue 13 gap 3): a rule's context is what all its
 * actions carry, an attribute only some of them declare needs {@code has}, and rules, routes
 * and declarations that do not fit the shapes are errors with a help line.
 */
class ActionShapesCheckTest {
  private static final String SHAPES = """
      entity User
      entity Service
      entity Account {
        owner: String
      }
      entity Card
      context {
        mfa: Bool
      }
      action transfer {
        principal: User
        resource: Account
        context {
          amount: Number
          memo?: String
        }
      }
      action deposit {
        resource: Account
        context {
          amount: Number
          channel: String
        }
      }
      action read {
        resource: Account, Card
      }
      actions moving = transfer, deposit
      """;

  @Test
  void anAttributeEveryActionOfTheRuleRequiresIsReadDirectly() {
    assertThat(CheckerTableTest.check(SHAPES + """
        policy accounts on Account {
          permit transfer when context.amount < 100 and context.mfa
          permit moving when context.amount < 10
          permit transfer when context has memo and context.memo == "x"
        }
        """)).isEmpty();
  }

  @Test
  void anAttributeOnlySomeActionsDeclareNeedsHas() {
    assertThat(CheckerTableTest.check(SHAPES + """
        policy accounts on Account {
          permit moving when context.channel == "web"
          permit transfer when context.memo == "x"
        }
        """)).extracting(Diagnostic::code).containsExactly(Code.MISSING_HAS_GUARD, Code.MISSING_HAS_GUARD);
  }

  @Test
  void anAttributeNoActionOfTheRuleDeclaresIsUnknown() {
    assertThat(CheckerTableTest.check(SHAPES + """
        policy accounts on Account {
          permit read when context.amount < 5
        }
        """)).extracting(Diagnostic::code).containsExactly(Code.UNKNOWN_ATTRIBUTE);
  }

  @Test
  void aRuleForAnyActionSeesEveryActionsAttributesAsOptional() {
    assertThat(CheckerTableTest.check(SHAPES + """
        policy all on * {
          forbid * when context has amount and context.amount > 1000
          forbid * when context.amount > 1000
        }
        """)).extracting(Diagnostic::code).containsExactly(Code.MISSING_HAS_GUARD);
  }

  @Test
  void theResourceIsNarrowedToTheTypeTheActionsAgreeOn() {
    assertThat(CheckerTableTest.check(SHAPES + """
        policy all on * {
          permit transfer when resource.owner == principal.id
          permit transfer when resource.nope == "x"
        }
        """)).extracting(Diagnostic::code).containsExactly(Code.UNKNOWN_ATTRIBUTE);
  }

  @Test
  void aRuleOrRouteOnATypeTheActionDoesNotApplyToIsAnError() {
    assertThat(CheckerTableTest.check(SHAPES + """
        policy cards on Card {
          permit read
          permit transfer
        }
        route POST "/cards/{id}/transfers" -> Card[id].transfer
        route GET "/cards/{id}" -> Card[id].read
        """)).extracting(Diagnostic::code, Diagnostic::message, d -> d.help().orElse(""))
        .containsExactly(
            tuple(Code.ACTION_DOES_NOT_APPLY, "action `transfer` does not apply to `Card`: its resources are `Account`",
                "write the rule in a policy on `Account`, or add `Card` to `resource:` in `action transfer`"),
            tuple(Code.ACTION_DOES_NOT_APPLY, "action `transfer` does not apply to `Card`: its resources are `Account`",
                "route to `Account`, or add `Card` to `resource:` in `action transfer`"));
  }

  @Test
  void aGroupNamedInARuleIsCheckedActionByAction() {
    assertThat(CheckerTableTest.check(SHAPES + "policy cards on Card {\n  permit moving\n}\n"))
        .extracting(Diagnostic::code).containsExactly(Code.ACTION_DOES_NOT_APPLY, Code.ACTION_DOES_NOT_APPLY);
  }

  @Test
  void aClashWithTheGlobalContextAGroupShapeUnknownTypesAndRepeatsAreErrors() {
    assertThat(CheckerTableTest.check("""
        entity Account
        context {
          amount: String
        }
        actions write = update
        action transfer {
          principal: Usr
          context {
            amount: Number
          }
        }
        action write {}
        action transfer {}
        policy p on Account {
          permit transfer, update
        }
        """)).extracting(Diagnostic::code).containsExactlyInAnyOrder(Code.ACTION_CONTEXT_CLASH, Code.BAD_ACTION_SHAPE,
        Code.UNKNOWN_TYPE, Code.DUPLICATE);
  }

  @Test
  void anActionDeclaredOnlyByItsShapeIsKnown() {
    assertThat(CheckerTableTest.check(SHAPES + "route GET \"/accounts/{id}\" -> Account[id].read\n")).isEmpty();
  }
}

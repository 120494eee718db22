package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code verdict check} flags a {@code test} block that does not fit its action's declared shape
 * (V1604) at the part of the test to change, instead of leaving it to fail when run.
 */
class TestShapesCheckTest {
  private static final String SET = """
      entity User
      entity Service
      entity Account {
        owner: String
      }
      entity Card
      action transfer {
        principal: User
        resource: Account
        context {
          amount: Number
          from?: Ip
        }
      }
      action read {
        resource: Account, Card
      }
      policy accounts on Account {
        permit read, transfer when resource.owner == principal.id
      }
      """;

  private static List<Diagnostic> check(String test) {
    return CheckerTableTest.check(SET + test);
  }

  @Test
  void aTestThatFitsItsActionIsClean() {
    assertThat(check("""
        test "ok" {
          principal User "alice"
          resource Account "a1" { owner: "alice" }
          action transfer
          context { amount: 4, from: "10.0.0.1" }
          expect allow
        }
        test "a read needs no amount" {
          principal { id: "alice" }
          resource Card "c1"
          action read
          expect deny
        }
        """)).isEmpty();
  }

  @Test
  void aResourceOfATypeTheActionDoesNotApplyToIsFlaggedAtItsType() {
    assertThat(check("""
        test "card" {
          principal User "alice"
          resource Card "c1"
          action transfer
          context { amount: 4 }
          expect deny
        }
        """)).extracting(Diagnostic::code, d -> d.span().line(), d -> d.span().column(), Diagnostic::message)
        .containsExactly(tuple(Code.TEST_DOES_NOT_FIT_ACTION, 23, 12,
            "test `card`: action `transfer` applies to resources of type `Account`, not `Card`"));
  }

  @Test
  void aPrincipalOfAnotherTypeIsFlaggedWithAHelpLine() {
    List<Diagnostic> d = check("""
        test "service" {
          principal Service "batch"
          resource Account "a1"
          action transfer
          context { amount: 4 }
          expect deny
        }
        """);
    assertThat(d).extracting(Diagnostic::code, x -> x.span().line(), x -> x.span().column())
        .containsExactly(tuple(Code.TEST_DOES_NOT_FIT_ACTION, 22, 13));
    assertThat(d.get(0).message()).contains("principals of type `User`, not `Service`");
    assertThat(d.get(0).help()).get().asString().contains("`principal:` line of `action transfer`");
  }

  @Test
  void aMissingRequiredAttributeIsFlaggedAtTheContextOrTheAction() {
    assertThat(check("""
        test "no amount" {
          principal User "alice"
          resource Account "a1"
          action transfer
          context { from: "10.0.0.1" }
          expect deny
        }
        test "no context" {
          principal User "alice"
          resource Account "a1"
          action transfer
          expect deny
        }
        """)).extracting(Diagnostic::code, d -> d.span().line(), d -> d.span().column(), Diagnostic::message)
        .containsExactly(
            tuple(Code.TEST_DOES_NOT_FIT_ACTION, 25, 3,
                "test `no amount`: action `transfer` requires `context.amount` (a `Number`), which the test does not give"),
            tuple(Code.TEST_DOES_NOT_FIT_ACTION, 31, 3,
                "test `no context`: action `transfer` requires `context.amount` (a `Number`), which the test does not give"));
  }

  @Test
  void aWrongTypedAttributeIsFlaggedAtItsValue() {
    List<Diagnostic> d = check("""
        test "string amount" {
          principal User "alice"
          resource Account "a1"
          action transfer
          context { amount: "4", from: "nowhere" }
          expect deny
        }
        """);
    assertThat(d).extracting(Diagnostic::code, x -> x.span().line(), x -> x.span().column())
        .containsExactly(tuple(Code.TEST_DOES_NOT_FIT_ACTION, 25, 21));
    assertThat(d.get(0).message()).startsWith("test `string amount`: `context.amount` must be a `Number`");
    assertThat(d.get(0).help()).get().asString().contains("declares `amount` (a `Number`)");
  }

  @Test
  void aRoutedTestOrAnActionWithoutAShapeIsNotCheckedHere() {
    assertThat(check("""
        test "undeclared action" {
          principal Service "batch"
          resource Card "c1"
          action close
          expect deny
        }
        """)).extracting(Diagnostic::code).doesNotContain(Code.TEST_DOES_NOT_FIT_ACTION);
  }
}

package dev.verdict.lang.syntax;

import dev.verdict.lang.syntax.grammar.VerdictLexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Help lines for the syntax mistakes people actually make. */
final class SyntaxHelp {
  private SyntaxHelp() {}

  static String forError(IntervalSet expected, Token found) {
    int type = found.getType();
    if (type == VerdictLexer.ASSIGN) {
      return "use `==` to compare";
    }
    if (type == VerdictLexer.STRING && expected != null && expected.contains(VerdictLexer.COMMA)) {
      return "separate items with `,`";
    }
    if (type == VerdictLexer.IDENT && expected != null && expected.contains(VerdictLexer.COLONCOLON)) {
      return "an entity is written `Type::\"id\"`";
    }
    if (expected != null && expected.contains(VerdictLexer.DURATION) && type == VerdictLexer.NUMBER) {
      return "a duration has a unit: `ms`, `s`, `m`, `h` or `d`, e.g. `1m`";
    }
    if (found.getText() != null && isReserved(type) && expected != null && expected.contains(VerdictLexer.IDENT)) {
      return "`" + found.getText() + "` is a reserved word and cannot be used as a name here";
    }
    return null;
  }

  /**
   * `permit to admin` parses `to` as the action (it is also a name), so the error comes one
   * token late; the help says what was really left out.
   */
  static String afterRuleWithoutActions(Token effect, Token to) {
    if ((effect.getType() == VerdictLexer.PERMIT || effect.getType() == VerdictLexer.FORBID)
        && to.getType() == VerdictLexer.TO) {
      return "name the actions before `to`, e.g. `" + effect.getText() + " read to …`, or `*` for every action";
    }
    return null;
  }

  private static boolean isReserved(int type) {
    return switch (type) {
      case VerdictLexer.PERMIT, VerdictLexer.FORBID, VerdictLexer.WHEN, VerdictLexer.UNLESS,
          VerdictLexer.IF, VerdictLexer.THEN, VerdictLexer.ELSE, VerdictLexer.AND, VerdictLexer.OR,
          VerdictLexer.NOT, VerdictLexer.IN, VerdictLexer.IS, VerdictLexer.HAS, VerdictLexer.LIKE,
          VerdictLexer.TRUE, VerdictLexer.FALSE, VerdictLexer.PRINCIPAL, VerdictLexer.RESOURCE,
          VerdictLexer.CONTEXT, VerdictLexer.ACTION -> true;
      default -> false;
    };
  }
}

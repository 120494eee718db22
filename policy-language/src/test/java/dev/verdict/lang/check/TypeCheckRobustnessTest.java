package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random well-formed conditions over the schema: the type checker reports, never throws. */
class TypeCheckRobustnessTest {
  private static final String[] ATOMS = {
      "resource.owner", "resource.balance", "resource.tags", "resource.nickname", "resource.holder",
      "resource.holder.email", "resource.manager", "resource.items", "principal", "principal.roles", "context",
      "context.ip", "context.now", "context.channel", "action", "\"s\"", "1.5", "90s", "true", "[1, \"a\"]",
      "{ a: 1 }", "User::\"u\"", "resource.missing", "resource.owner.x", "resource.items[0]", "resource[\"owner\"]"};
  private static final String[] BINARY = {"==", "!=", "<", ">=", "+", "-", "and", "or", "in"};
  private static final String[] FUNCTIONS = {"size", "lower", "cidr", "ip", "time", "hour", "before", "nope"};

  private static String expr(Random r, int depth) {
    if (depth == 0) {
      return ATOMS[r.nextInt(ATOMS.length)];
    }
    return switch (r.nextInt(8)) {
      case 0 -> "not " + expr(r, depth - 1);
      case 1 -> "(" + expr(r, depth - 1) + " " + BINARY[r.nextInt(BINARY.length)] + " " + expr(r, depth - 1) + ")";
      case 2 -> "if " + expr(r, depth - 1) + " then " + expr(r, depth - 1) + " else " + expr(r, depth - 1);
      case 3 -> "(" + expr(r, depth - 1) + " has " + (r.nextBoolean() ? "nickname" : "email") + ")";
      case 4 -> "(" + expr(r, depth - 1) + " is " + (r.nextBoolean() ? "User" : "Nope") + ")";
      case 5 -> "(" + expr(r, depth - 1) + " like \"a*\")";
      case 6 -> FUNCTIONS[r.nextInt(FUNCTIONS.length)] + "(" + expr(r, depth - 1)
          + (r.nextBoolean() ? ", " + expr(r, depth - 1) : "") + ")";
      default -> expr(r, depth - 1) + "." + (r.nextBoolean() ? "owner" : "email");
    };
  }

  @Test
  void neverThrows() {
    Random r = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      String policy = TypeCheckTableTest.SCHEMA + "policy p on Account { permit read when " + expr(r, 1 + r.nextInt(4))
          + " }\n";
      ParseResult parsed = Parser.parse(new Source("t.verdict", policy));
      List<PolicyFile> files = List.of(parsed.file());
      assertThatCode(() -> {
        List<Diagnostic> out = new ArrayList<>();
        TypeCheckPass.check(files, Schema.build(files, out), out);
      }).as(policy).doesNotThrowAnyException();
    }
  }
}

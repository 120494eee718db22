package dev.verdict.lang.check;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;

/** Names defined twice within one kind (two policies `accounts`, two `@id("x")` rules…). */
final class DuplicatePass implements Pass {
  @Override
  public String name() {
    return "duplicates";
  }

  @Override
  public void run(CheckContext ctx) {
    for (SymbolTable.Duplicate d : ctx.symbols.duplicates) {
      String help = switch (d.kind()) {
        case "rule id" -> "rule ids name the rules that decide; give each `@id` a different value";
        case "context schema" -> "merge the two `context` declarations into one";
        case "action" -> "merge the two `action` declarations into one";
        case "test" -> "give each test a different name, so failures say which one failed";
        default -> "names are unique across the policy set; rename or remove one of them";
      };
      String what = d.kind().equals("context schema") ? "the context schema is" : d.kind() + " `" + d.name() + "` is";
      ctx.report(Diagnostic.of(Code.DUPLICATE, d.second(), what + " defined twice", help)
          .withRelated(d.first(), "first defined here"));
    }
  }
}

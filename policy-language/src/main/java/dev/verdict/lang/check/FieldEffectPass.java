package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;

/**
 * Effects that do not fit their block: reads are masked (hide, redact, hash, partial) and
 * writes are refused (deny). A read mask in a write block would silently allow the write.
 */
final class FieldEffectPass implements Pass {
  @Override
  public String name() {
    return "field effects";
  }

  @Override
  public void run(CheckContext ctx) {
    for (Decl.PolicyDecl p : ctx.symbols.allPolicies) {
      for (PolicyMember.FieldsBlock block : p.fieldBlocks()) {
        for (PolicyMember.FieldRule rule : block.rules()) {
          check(ctx, block.access(), rule.effect());
        }
      }
    }
  }

  /** Reports an effect not allowed for {@code access}; shared with the test expectations. */
  static void check(CheckContext ctx, PolicyMember.Access access, FieldEffect effect) {
    if (access == PolicyMember.Access.READ && !effect.kind().isRead()) {
      ctx.report(Code.BAD_FIELD_EFFECT, effect.span(), "`deny` is not a read effect",
          "in `fields read` use `hide`, `redact`, `hash` or `partial(n)`; `deny` belongs in `fields write`");
    } else if (access == PolicyMember.Access.WRITE && effect.kind().isRead()) {
      ctx.report(Code.BAD_FIELD_EFFECT, effect.span(), "`" + effect.text() + "` is not a write effect",
          "`fields write` only refuses writes, with `deny`; masks belong in `fields read`");
    }
  }
}

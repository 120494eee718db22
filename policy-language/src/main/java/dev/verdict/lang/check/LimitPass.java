package dev.verdict.lang.check;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.rate.FailMode;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;

/**
 * Rate limits: the intent must be one a route or an {@code intent} declaration names (else a
 * misspelt intent silently limits nothing), every line must admit at least one request in a
 * non-empty period, a limit needs a line, and since the first line whose {@code when} holds
 * is chosen, a line after one without {@code when} is never chosen.
 */
final class LimitPass implements Pass {
  @Override
  public String name() {
    return "limits";
  }

  @Override
  public void run(CheckContext ctx) {
    for (Decl.LimitDecl limit : ctx.symbols.limits) {
      checkIntent(ctx, limit);
      limit.unavailable().ifPresent(u -> checkUnavailable(ctx, u));
      if (limit.lines().isEmpty()) {
        ctx.report(Code.EMPTY_LIMIT, limit.name().span(), "limit `" + limit.name().name() + "` has no rate line",
            "add a line such as `10 per 1m`");
        continue;
      }
      Span unconditional = null;
      for (Decl.LimitLine line : limit.lines()) {
        String rate = line.count() + " per " + line.period().text();
        Span rateSpan = line.span().to(line.period().span());
        if (line.count() == 0) {
          ctx.report(Code.BAD_RATE, rateSpan, "`" + rate + "` admits no request",
              "a rate admits at least 1 request; to refuse the intent, write a `forbid` rule");
        } else if (line.period().value().isZero()) {
          ctx.report(Code.BAD_RATE, line.period().span(), "`" + rate + "` has a zero period",
              "use a period of at least `1ms`, e.g. `1s` or `1m`");
        } else if (line.burst().isPresent() && line.burst().get() == 0) {
          ctx.report(Code.BAD_RATE, line.when().isEmpty() ? line.span() : rateSpan, "`" + rate + " burst 0` admits no request",
              "a burst admits at least 1 request; leave out `burst` to allow `" + line.count() + "` at once");
        } else if (line.window() && line.count() > Rate.MAX_WINDOW_COUNT) {
          ctx.report(Code.WINDOW_TOO_LARGE, rateSpan, "`" + rate + " window` counts more than "
              + Rate.MAX_WINDOW_COUNT + " requests",
              "a window remembers each request it admits; for higher rates use a token bucket: `" + rate + "`");
        }
        if (unconditional != null) {
          ctx.report(Diagnostic.of(Code.UNREACHABLE_LIMIT_LINE, rateSpan, "limit line `" + rate + "` is never chosen",
                  "an earlier line has no `when` and is always chosen; move this line above it or remove it")
              .withRelated(unconditional, "always chosen"));
        } else if (line.when().isEmpty()) {
          unconditional = rateSpan;
        }
      }
    }
  }

  private static void checkUnavailable(CheckContext ctx, Decl.OnUnavailable u) {
    if (!u.word().name().equals("unavailable")) {
      ctx.report(Code.BAD_FAIL_MODE, u.word().span(), "expected `on unavailable`, found `on " + u.word().name() + "`",
          "write `on unavailable deny`, `on unavailable allow` or `on unavailable local` as the limit's last line");
      return;
    }
    String mode = u.mode().name();
    if (FailMode.parse(mode).isEmpty()) {
      String help = Suggestions.didYouMean(mode, FailMode.NAMES).orElse("use `deny` (refuse the request, the "
          + "default), `allow` (admit it uncounted) or `local` (count it in this process until the store answers)");
      ctx.report(Code.BAD_FAIL_MODE, u.mode().span(), "unknown `on unavailable` mode `" + mode + "`", help);
    }
  }

  private static void checkIntent(CheckContext ctx, Decl.LimitDecl limit) {
    String intent = limit.intent().value();
    if (ctx.symbols.intents.containsKey(intent)) {
      return;
    }
    String help = Suggestions.didYouMean(intent, ctx.symbols.intents.keySet())
        .orElse("no route names this intent; add `intent \"" + intent + "\"` to a route, or declare it with `intent \""
            + intent + "\"` if only services send it (in `context.intent`)");
    ctx.report(Code.UNKNOWN_INTENT, limit.intent().span(), "unknown intent `" + intent + "`", help);
  }
}

package dev.verdict.lang.check;

/** One named check over the whole policy set; reports through the context, never throws. */
interface Pass {
  /** A short name for the pass, used in timings and in the order listed by {@link Checker}. */
  String name();

  void run(CheckContext ctx);
}

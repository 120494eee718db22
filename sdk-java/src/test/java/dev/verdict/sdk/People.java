package dev.verdict.sdk;

/** The banking example's people and accounts, as its test blocks describe them. */
final class People {
  static final Principal ALICE = Principal.of("alice").roles("customer").attr("tenant", "bank1")
      .attr("branch", "b-leeds").attr("trust", 90);
  static final Principal BOB = Principal.of("bob").roles("customer").attr("tenant", "bank1")
      .attr("branch", "b-leeds").attr("trust", 90);
  static final Principal SAM = Principal.of("sam").roles("support").attr("tenant", "bank1").attr("trust", 90);
  static final Resource A1 = Resource.of("Account", "a1").attr("owner", "alice").attr("tenant", "bank1")
      .attr("branch", "b-leeds").attr("frozen", false);

  private People() {}
}

package dev.verdict.sdk;

import static dev.verdict.sdk.People.A1;
import static dev.verdict.sdk.People.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cache keeps answers as long as the server says, forgets them on a new policy version, never keeps rates. */
class CacheTest {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void answersAreReusedForTheServersTtlOnly() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 200, FakePdp.allow(1)));
        VerdictClient c = VerdictClient.remote(fake.uri()).requestTimeout(DEADLINE)
            .cache(1 << 20, Duration.ofMinutes(10)).build()) {
      assertThat(c.check(ALICE, A1, "read").allowed()).isTrue();
      assertThat(c.check(ALICE, A1, "read").allowed()).isTrue();
      assertThat(fake.requests.get()).isEqualTo(1);
      // The server said one second: the answer must be asked again once it has passed.
      waitUntil(() -> {
        c.check(ALICE, A1, "read");
        return fake.requests.get() > 1;
      });
    }
  }

  @Test
  void aZeroTtlIsNeverCached() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 200, FakePdp.allow(0)));
        VerdictClient c = VerdictClient.remote(fake.uri()).requestTimeout(DEADLINE).build()) {
      c.check(ALICE, A1, "read");
      c.check(ALICE, A1, "read");
      assertThat(fake.requests.get()).isEqualTo(2);
    }
  }

  @Test
  void theClientsOwnCapIsKeptToo() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 200, FakePdp.allow(3600)));
        VerdictClient c = VerdictClient.remote(fake.uri()).requestTimeout(DEADLINE)
            .cache(1 << 20, Duration.ofSeconds(2)).build()) {
      // Kept for 2 s, not the server's hour: long enough that a loaded machine still asks
      // twice within it, short enough to wait for.
      c.check(ALICE, A1, "read");
      c.check(ALICE, A1, "read");
      assertThat(fake.requests.get()).isEqualTo(1);
      waitUntil(() -> {
        c.check(ALICE, A1, "read");
        return fake.requests.get() > 1;
      });
    }
  }

  @Test
  void aNewPolicyVersionEmptiesTheCacheAndRatesAreNeverCached(@TempDir Path tmp) throws Exception {
    try (Pdp pdp = new Pdp(tmp); VerdictClient c = VerdictClient.remote(pdp.uri()).requestTimeout(DEADLINE)
        .cache(1 << 20, Duration.ofMinutes(10)).build()) {
      Decision before = c.check(ALICE, A1, "read");
      assertThat(before.allowed()).isTrue();
      assertThat(c.check(ALICE, A1, "read")).isSameAs(before);

      // A decision with a rate outcome spends a budget each time: never from the cache.
      Principal erin = Principal.of("erin").roles("customer").attr("tenant", "bank1").attr("trust", 90);
      Resource e1 = Resource.of("Account", "e1").attr("owner", "erin").attr("tenant", "bank1").attr("frozen", false);
      for (int i = 0; i < 5; i++) {
        assertThat(c.check(erin, e1, "transfer", Map.of("mfa", true)).allowed()).isTrue();
      }
      Decision sixth = c.check(erin, e1, "transfer", Map.of("mfa", true));
      assertThat(sixth.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);

      // The set changes: alice's account is now forbidden to her. Another question sees the new
      // version, which empties the cache, so alice's cached allow is asked again.
      Path accounts = pdp.policies.resolve("accounts.verdict");
      String text = Files.readString(accounts, StandardCharsets.UTF_8);
      Files.writeString(accounts, text.replace("permit read, update, transfer to owner", "permit update, transfer to owner"),
          StandardCharsets.UTF_8);
      waitUntil(() -> !pdp.version().equals(before.policyVersion()));
      assertThat(c.check(People.BOB, A1, "read").policyVersion()).isEqualTo(pdp.version());
      Decision after = c.check(ALICE, A1, "read");
      assertThat(after.policyVersion()).isEqualTo(pdp.version());
      assertThat(after.allowed()).isFalse();
    }
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the condition did not hold within 30 s");
  }
}

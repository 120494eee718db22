package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A complete, correct policy set exercising every construct must check without a word. */
class ValidSetTest {
  static final String SET = """
      entity User { tenant: String, trust: Number }
      entity Group
      entity Account {
        owner: String
        tenant: String
        balance: Number
        number: String
        frozen: Bool
        holder: { name: String, email: String, ssn: String }
      }

      role admin, auditor, support, user
      role owner on Account when resource.owner == principal.id
      role same_tenant on * when resource.tenant == principal.tenant

      actions write = update, transfer
      actions all_writes = write, delete

      policy accounts on Account {
        permit read to same_tenant when "support" in principal.roles
        permit list when "support" in principal.roles
        permit read, write to owner
        permit * to admin
        @id("frozen") @reason("the account is frozen")
        forbid transfer, update when resource.frozen
        forbid transfer unless context.mfa == true
        permit read when principal in Group::"auditors" and resource is Account

        fields read {
          balance:    redact unless owner, auditor
          holder.ssn: hide unless admin
          number:     partial(4) unless owner
        }
        fields write {
          owner, tenant, balance: deny unless admin
        }
      }

      policy users on User {
        permit delete to admin
      }

      route GET    "/accounts"                 -> Account.list
      route GET    "/accounts/{id}"            -> Account[id].read
      route POST   "/accounts/{id}/transfers"  -> Account[id].transfer intent "funds.transfer"
      route DELETE "/admin/users/{uid}"        -> User[uid].delete

      limit transfers on intent "funds.transfer" by principal.id {
        1 per 1m when principal.trust < 50
        5 per 1m burst 5
      }

      test "owner may transfer with MFA" {
        principal { id: "alice", roles: ["user"], tenant: "t1" }
        resource Account "a1" { owner: "alice", tenant: "t1", frozen: false }
        context { mfa: true }
        action transfer
        expect allow
      }
      test "frozen accounts refuse updates" {
        principal User "alice" in Group "auditors" { roles: ["user"] }
        entity Group "auditors"
        resource Account "a1" { owner: "alice", frozen: true }
        action update
        expect deny because "frozen"
      }
      test "support sees a redacted balance" {
        principal { id: "sam", roles: ["support"], tenant: "t1" }
        request GET "/accounts/a1"
        expect allow because "accounts:20" fields { balance: redact, holder.ssn: hide }
      }
      test "sixth transfer in a minute is throttled" {
        principal { id: "alice", roles: ["user"], trust: 90 }
        request POST "/accounts/a1/transfers"
        context { mfa: true }
        repeat 6 expect last rate_limited
      }
      """;

  @Test
  void aCorrectSetHasNoDiagnostics() {
    assertThat(CheckerTableTest.check(SET)).isEmpty();
  }
}

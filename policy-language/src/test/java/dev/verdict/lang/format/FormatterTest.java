package dev.verdict.lang.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatterTest {
  /** Formats {@code text}, checking that it parses, and that the result is stable and keeps comments. */
  static String fmt(String text) {
    ParseResult parsed = Parser.parse(new Source("in.verdict", text));
    assertThat(parsed.diagnostics()).as(text).isEmpty();
    String out = Formatter.format(parsed.file());
    ParseResult again = Parser.parse(new Source("out.verdict", out));
    assertThat(again.diagnostics()).as(out).isEmpty();
    assertThat(again.file().decls()).isEqualTo(parsed.file().decls());
    assertThat(comments(again.file())).containsExactlyInAnyOrderElementsOf(comments(parsed.file()));
    assertThat(Formatter.format(again.file())).as("idempotent").isEqualTo(out);
    return out;
  }

  private static List<String> comments(PolicyFile f) {
    return f.comments().stream().map(c -> c.text().strip()).toList();
  }

  @Test
  void everyConstructInCanonicalLayout() {
    String in = """
        entity   Bank
        entity Branch in Bank
        entity Account in Branch,Bank {
          owner: User, tenant: String
          balance: Number,
          tags: Set<String>
          @sensitive ssn?: String
          holder: {name: String, email: String, address: {street: String, city: String}}
          history: Set<{at: Time, amount: Number}>
          limits: { daily: Number, monthly: Number, weekly: Number, yearly: Number, lifetime: Number, per_tx: Number }
        }
        context { mfa: Bool, ip: Ip, now: Time, window: Duration }
        role admin,auditor
        role teller
        role owner on Account when resource.owner == principal
        role same_tenant on * when resource.tenant == principal.tenant
        actions write = update,delete, transfer
        actions all_actions = read, write
        @id("main") @reason("accounts")
        policy accounts on Account {
          permit read,list to same_tenant when "support" in principal.roles
          permit * to admin
          @id("frozen") @reason("the account is frozen")
          forbid transfer,update when resource.frozen
          forbid transfer unless context.mfa == true
          permit read to teller when principal.branch == resource.branch and context.ip in cidr(ip("10.0.0.1"), "10.0.0.0/8") unless resource.frozen
          fields read {
            balance: redact unless owner, auditor
            holder.ssn: hide unless admin
            number: partial(4) unless owner
            holder.email, history[].amount: hash when principal.type == "service"
          }
          fields write { owner, tenant, balance: deny unless admin }
        }
        route GET "/accounts/{id}" -> Account[id].read
        route POST "/accounts/{id}/transfers" -> Account[id].transfer intent "funds.transfer"
        route GET "/accounts" -> Account.list
        limit transfers on intent "funds.transfer" by principal.id, context.ip {
          1 per 1m when principal.trust < 50
          5 per 1h30m burst 10
        }
        test "every item" {
          principal User::"alice" in Group "eng", Group::"all" { roles: ["user"], tenant: "t1" }
          resource Account "a1" { owner: User::"alice", balance: 10.50 }
          entity Group "eng" in Group "all"
          context { mfa: true, ip: "10.1.2.3" }
          action transfer
          expect allow because "accounts:3", "frozen" fields { balance: redact, number: partial(4) } fields write { owner: deny }
          expect deny
          repeat 6 expect last rate_limited
          repeat 3 expect all allow
        }
        test "by request" {
          principal { id: "sam", roles: ["support"] }
          request POST "/accounts/a1/transfers"
          expect rate_limited
        }
        """;
    assertThat(fmt(in)).isEqualTo("""
        entity Bank
        entity Branch in Bank

        entity Account in Branch, Bank {
          owner: User
          tenant: String
          balance: Number
          tags: Set<String>
          @sensitive ssn?: String
          holder: { name: String, email: String, address: { street: String, city: String } }
          history: Set<{ at: Time, amount: Number }>
          limits: {
            daily: Number
            monthly: Number
            weekly: Number
            yearly: Number
            lifetime: Number
            per_tx: Number
          }
        }

        context {
          mfa: Bool
          ip: Ip
          now: Time
          window: Duration
        }

        role admin, auditor
        role teller
        role owner on Account when resource.owner == principal
        role same_tenant on * when resource.tenant == principal.tenant

        actions write = update, delete, transfer
        actions all_actions = read, write

        @id("main") @reason("accounts")
        policy accounts on Account {
          permit read, list to same_tenant when "support" in principal.roles
          permit * to admin
          @id("frozen") @reason("the account is frozen")
          forbid transfer, update when resource.frozen
          forbid transfer unless context.mfa == true
          permit read to teller
              when principal.branch == resource.branch and context.ip in cidr(ip("10.0.0.1"), "10.0.0.0/8")
              unless resource.frozen
          fields read {
            balance:                        redact     unless owner, auditor
            holder.ssn:                     hide       unless admin
            number:                         partial(4) unless owner
            holder.email, history[].amount: hash       when principal.type == "service"
          }
          fields write {
            owner, tenant, balance: deny unless admin
          }
        }

        route GET  "/accounts/{id}"           -> Account[id].read
        route POST "/accounts/{id}/transfers" -> Account[id].transfer intent "funds.transfer"
        route GET  "/accounts"                -> Account.list

        limit transfers on intent "funds.transfer" by principal.id, context.ip {
          1 per 1m when principal.trust < 50
          5 per 1h30m burst 10
        }

        test "every item" {
          principal User "alice" in Group "eng", Group "all" { roles: ["user"], tenant: "t1" }
          resource Account "a1" { owner: User::"alice", balance: 10.50 }
          entity Group "eng" in Group "all"
          context { mfa: true, ip: "10.1.2.3" }
          action transfer
          expect allow because "accounts:3", "frozen" fields { balance: redact, number: partial(4) } fields write { owner: deny }
          expect deny
          repeat 6 expect last rate_limited
          repeat 3 expect all allow
        }

        test "by request" {
          principal { id: "sam", roles: ["support"] }
          request POST "/accounts/a1/transfers"
          expect rate_limited
        }
        """);
  }

  @Test
  void commentsStayWhereTheyBelong() {
    String in = """
        // file header

        /* block
           header */
        role admin // trailing on a role
        // before teller
        role teller



        // before the policy, after blank lines
        policy p on Account { // on the header line
          // first in the block

          permit read // after a rule


          /* before forbid */ forbid delete when /* inside */ resource.frozen
          fields read {
            // before a field rule
            ssn: hide // after a field rule
            // end of the fields block
          }
          // end of the policy block
        } // after the closing brace
        entity A {
          // before an attribute
          x: String // after an attribute
          nested: { // inside the nested record
            y: String
          }
        }
        test "t" {
          action read // after an item
          // end of the test
        }
        // end of the file
        """;
    assertThat(fmt(in)).isEqualTo("""
        // file header

        /* block
           header */
        role admin // trailing on a role
        // before teller
        role teller

        // before the policy, after blank lines
        policy p on Account { // on the header line
          // first in the block

          permit read // after a rule

          /* before forbid */ /* inside */
          forbid delete when resource.frozen
          fields read {
            // before a field rule
            ssn: hide // after a field rule
            // end of the fields block
          }
          // end of the policy block
        } // after the closing brace

        entity A {
          // before an attribute
          x: String // after an attribute
          nested: { // inside the nested record
            y: String
          }
        }

        test "t" {
          action read // after an item
          // end of the test
        }
        // end of the file
        """);
  }

  /** Each condition as written, and as the formatter writes it. */
  private static final String[][] EXPRESSIONS = {
      {"(principal.a)", "principal.a"},
      {"(context.a or context.b) and context.c", "(context.a or context.b) and context.c"},
      {"context.a or (context.b and context.c)", "context.a or context.b and context.c"},
      {"(context.a or context.b) or context.c", "context.a or context.b or context.c"},
      {"context.a or (context.b or context.c)", "context.a or (context.b or context.c)"},
      {"not (context.a == 1)", "not context.a == 1"},
      {"(not context.a) == 1", "(not context.a) == 1"},
      {"not not context.a", "not not context.a"},
      {"(1 - 2) - 3 == 1 - (2 - 3)", "1 - 2 - 3 == 1 - (2 - 3)"},
      {"-(principal.x) < -(5)", "-principal.x < -5"},
      {"- -principal.x == (-5).y", "--principal.x == (-5).y"},
      {"(if context.a then 1 else 2) == 3", "(if context.a then 1 else 2) == 3"},
      {"if context.a then (1) else (context.b or context.c)", "if context.a then 1 else context.b or context.c"},
      {"if (if context.a then true else false) then true else false",
          "if if context.a then true else false then true else false"},
      {"(principal is User) and true", "principal is User and true"},
      {"principal is User in (Group::\"staff\")", "principal is User in Group::\"staff\""},
      {"(principal is User) in resource.readers", "(principal is User) in resource.readers"},
      {"(context.a == context.b) == context.c", "(context.a == context.b) == context.c"},
      {"context.a == (context.b != context.c)", "context.a == (context.b != context.c)"},
      {"principal in (Group::\"admins\")", "principal in Group::\"admins\""},
      {"(context.a + 1) in [1,2,]", "context.a + 1 in [1, 2]"},
      {"resource has \"x y\" and resource has owner", "resource has \"x y\" and resource has owner"},
      {"(resource has owner) == true", "(resource has owner) == true"},
      {"context.s like \"a\\*b*\"", "context.s like \"a\\*b*\""},
      {"{a: 1, \"b c\": 2,} == {}", "{ a: 1, \"b c\": 2 } == {}"},
      {"size( principal.tags ) > 0", "size(principal.tags) > 0"},
      {"principal.tags[0] == context[\"k\"].in", "principal.tags[0] == context[\"k\"].in"},
      {"(principal.a).b[(1)]", "principal.a.b[1]"},
      {"User::\"a\".name == \"\\u{41}\\t\"", "User::\"a\".name == \"A\\t\""},
      {"context.now + 1h30m > time(\"2026-01-01T00:00:00Z\") + duration(\"-24h\")",
          "context.now + 1h30m > time(\"2026-01-01T00:00:00Z\") + duration(\"-24h\")"},
      {"0.1 + 0.2 == 0.30 and 1.50 > 007", "0.1 + 0.2 == 0.30 and 1.50 > 7"},
      {"[] == [[1], {k: [true, false]}]", "[] == [[1], { k: [true, false] }]"},
      {"(action in write) and action in  all", "action in write and action in all"},
  };

  /** Issue 13 gap 8: a block's actions on its header, a rule's conditions one after the other. */
  @Test
  void aFieldBlockKeepsItsActionsAndARuleItsConditions() {
    String in = "policy p on A {\n permit read\n fields read   on read ,\"list-all\" {\n"
        + " notes:hide when principal.x   unless owner\n ssn : redact\n}\n}\n";
    assertThat(fmt(in)).isEqualTo("policy p on A {\n  permit read\n  fields read on read, \"list-all\" {\n"
        + "    notes: hide   when principal.x unless owner\n    ssn:   redact\n  }\n}\n");
  }

  /** Issue 13 gap 2: namespaced types keep their `::`, wherever they are written. */
  @Test
  void namespacedTypesArePrintedAsWritten() {
    String in = "entity App :: User in App::Team {friend:Set< App::User >}\npolicy p on App::Doc {\n"
        + " permit read when principal is App::User in App::Team::\"eng\"\n}\n";
    assertThat(fmt(in)).isEqualTo("entity App::User in App::Team {\n  friend: Set<App::User>\n}\n\npolicy p on App::Doc {\n"
        + "  permit read when principal is App::User in App::Team::\"eng\"\n}\n");
  }

  @Test
  void aLimitsFailModeKeepsItsLineAfterTheRates() {
    String in = "limit logins on intent \"auth.login\" by context.ip {10 per 1h\n on   unavailable   local}\n";
    assertThat(fmt(in)).isEqualTo("limit logins on intent \"auth.login\" by context.ip {\n  10 per 1h\n"
        + "  on unavailable local\n}\n");
  }

  @Test
  void expressionsGetMinimalParenthesesAndCanonicalSpacing() {
    for (String[] pair : EXPRESSIONS) {
      String out = fmt("role r on * when " + pair[0] + "\n");
      assertThat(out).as(pair[0]).isEqualTo("role r on * when " + pair[1] + "\n");
    }
  }

  @Test
  void emptyFileStaysEmptyAndCommentOnlyFileKeepsItsComments() {
    assertThat(fmt("")).isEmpty();
    assertThat(fmt("\n\n   \n")).isEmpty();
    assertThat(fmt("  // one   \n\n\n/* two */  \n")).isEqualTo("// one\n\n/* two */\n");
  }

  @Test
  void lineEndingsBecomeNewlines() {
    assertThat(fmt("role a\r\nrole b\r\n\r\npolicy p on A {\r\n  permit read // x\r\n}\r\n"))
        .isEqualTo("role a\nrole b\n\npolicy p on A {\n  permit read // x\n}\n");
  }

  @Test
  void oneLineDeclarationsOfOneKindStayGroupedOnlyWhenAdjacentAndUnannotated() {
    assertThat(fmt("role a\nrole b\n\nrole c\nactions x = a\nroute GET \"/\" -> A.x\n@id(\"r\") route GET \"/b\" -> A.x\n"))
        .isEqualTo("""
            role a
            role b

            role c

            actions x = a

            route GET "/" -> A.x

            @id("r")
            route GET "/b" -> A.x
            """);
    assertThat(fmt("entity A\nentity B in A\nentity C {}\nentity D in C\n"))
        .isEqualTo("entity A\nentity B in A\n\nentity C {}\n\nentity D in C\n");
    assertThat(fmt("policy p on A {} policy q on B {}")).isEqualTo("policy p on A {}\n\npolicy q on B {}\n");
  }

  @Test
  void adjacentRoutesAreAlignedInColumns() {
    assertThat(fmt("route DELETE \"/a/{id}\" -> A[id].delete\nroute GET \"/a\" -> A.list intent \"a.list\"\n"))
        .isEqualTo("""
            route DELETE "/a/{id}" -> A[id].delete
            route GET    "/a"      -> A.list intent "a.list"
            """);
  }

  @Test
  void windowLinesKeepTheirWord() {
    assertThat(fmt("intent \"i\"\nlimit l on intent \"i\" by context.ip { 3 per 1d  window when context.x\n 10 per 1m window }\n"))
        .isEqualTo("""
            intent "i"

            limit l on intent "i" by context.ip {
              3 per 1d window when context.x
              10 per 1m window
            }
            """);
  }

  @Test
  void actionShapesKeepTheirLinesInCanonicalOrderAndLayout() {
    assertThat(fmt("action transfer { principal: User,Service resource: Account // only accounts\n"
        + " context { amount: Number, memo?: String } }\n"
        + "@owner(\"pay\") action \"view-report\" {}\naction read { resource: Account, Card }\n"))
        .isEqualTo("""
            action transfer {
              principal: User, Service
              resource: Account // only accounts
              context {
                amount: Number
                memo?: String
              }
            }

            @owner("pay")
            action "view-report" {}

            action read {
              resource: Account, Card
            }
            """);
  }

  @Test
  void fixedRouteIdsAndPublicRoutesKeepTheirForm() {
    assertThat(fmt("@public route POST \"/auth/login\" -> AuthApi[ \"lo\\\"gin\" ].login intent \"auth.login\"\n"
        + "route POST \"/auth/reset\" -> Endpoint[route].call\n"))
        .isEqualTo("""
            @public
            route POST "/auth/login" -> AuthApi["lo\\"gin"].login intent "auth.login"

            route POST "/auth/reset" -> Endpoint[route].call
            """);
  }

  @Test
  void blankLinesInsideBlocksCollapseToOneAndNeverFollowAnOpeningBrace() {
    assertThat(fmt("policy p on A {\n\n\n  permit a\n\n\n\n  permit b\n  permit c\n\n}\n"))
        .isEqualTo("policy p on A {\n  permit a\n\n  permit b\n  permit c\n}\n");
  }

  @Test
  void longRulesBreakBeforeEachConditionAndRulesThatFitDoNot() {
    String cond = "resource.owner == principal.id and resource.tenant == principal.tenant";
    // 2 + 101 columns on one line: too wide
    assertThat(fmt("policy p on A { permit read, update to owner when " + cond + " unless resource.frozen }"))
        .isEqualTo("""
            policy p on A {
              permit read, update to owner
                  when resource.owner == principal.id and resource.tenant == principal.tenant
                  unless resource.frozen
            }
            """);
    // 2 + 75 columns: fits
    assertThat(fmt("policy p on A { permit read to owner when " + cond + " }"))
        .isEqualTo("policy p on A {\n  permit read to owner when " + cond + "\n}\n");
  }

  @Test
  void aRuleOfExactlyTheWidthStaysOnOneLine() {
    String head = "  permit r when context.";
    String attr = "a".repeat(Formatter.WIDTH - head.length());
    String at = head + attr;
    assertThat(at).hasSize(Formatter.WIDTH);
    assertThat(fmt("policy p on A { permit r when context." + attr + " }")).isEqualTo("policy p on A {\n" + at + "\n}\n");
    String over = "policy p on A { permit r when context." + attr + "b }";
    assertThat(fmt(over)).isEqualTo("policy p on A {\n  permit r\n      when context." + attr + "b\n}\n");
  }

  @Test
  void derivedRolesAndLimitLinesBreakLikeRules() {
    String cond = "resource.owner == principal.id and resource.tenant == principal.tenant and resource.open";
    assertThat(fmt("role owner on Account when " + cond))
        .isEqualTo("role owner on Account\n    when " + cond + "\n");
    assertThat(fmt("limit l on intent \"i\" { 5 per 1m burst 5 when " + cond + " }"))
        .isEqualTo("limit l on intent \"i\" {\n  5 per 1m burst 5\n      when " + cond + "\n}\n");
  }

  @Test
  void nestedRecordTypesGoInlineUnlessTheyHoldCommentsOrDoNotFit() {
    assertThat(fmt("entity A { b: { c: String, d: Set<{ e: Number }> } }"))
        .isEqualTo("entity A {\n  b: { c: String, d: Set<{ e: Number }> }\n}\n");
    assertThat(fmt("entity A { b: { c: String // why\n d: Number } }"))
        .isEqualTo("entity A {\n  b: {\n    c: String // why\n    d: Number\n  }\n}\n");
    String many = "{ aaaaaaaaaa: String, bbbbbbbbbb: String, cccccccccc: String, dddddddddd: String, eeeeeeeeee: String }";
    assertThat(fmt("context { x: " + many + " }")).isEqualTo("""
        context {
          x: {
            aaaaaaaaaa: String
            bbbbbbbbbb: String
            cccccccccc: String
            dddddddddd: String
            eeeeeeeeee: String
          }
        }
        """);
  }

  @Test
  void emptyBlocksAreWrittenOnOneLineUnlessTheyHoldComments() {
    assertThat(fmt("entity A {} context {} policy p on * {} limit l on intent \"i\" {} test \"t\" {}"))
        .isEqualTo("entity A {}\n\ncontext {}\n\npolicy p on * {}\n\nlimit l on intent \"i\" {}\n\ntest \"t\" {}\n");
    assertThat(fmt("policy p on * {\n// nothing yet\n}")).isEqualTo("policy p on * {\n  // nothing yet\n}\n");
    assertThat(fmt("policy p on * { fields read { } fields write {\n// later\n} }"))
        .isEqualTo("policy p on * {\n  fields read {}\n  fields write {\n    // later\n  }\n}\n");
  }

  @Test
  void commentsInsideALineMoveAboveItAndAreNeverDuplicated() {
    String out = fmt("policy p on A {\n  permit read /* a */ to /* b */ owner\n    // c\n    when /* d */ resource.x\n}\n");
    assertThat(out).isEqualTo("""
        policy p on A {
          /* a */ /* b */
          // c
          /* d */
          permit read to owner when resource.x
        }
        """);
    for (String c : List.of("/* a */", "/* b */", "// c", "/* d */")) {
      assertThat(out.indexOf(c)).as(c).isEqualTo(out.lastIndexOf(c)).isNotNegative();
    }
  }

  @Test
  void stringsAreRequotedAndEntityReferencesInTestsUseTheSpacedForm() {
    assertThat(fmt("test \"t\\u{41}\" { principal User::\"a\\\"b\" in Group::\"g\" request GET \"/x\\ty\" }"))
        .isEqualTo("test \"tA\" {\n  principal User \"a\\\"b\" in Group \"g\"\n  request GET \"/x\\ty\"\n}\n");
  }

  /** Issue 9.10: comments between conditions stay between them, not above the rule. */
  @Test
  void commentsBetweenConditionsStayWhereTheyWere() {
    String in = """
        policy p on A {
          permit read to owner // head note
            // why the first
            when resource.owner == principal.id
            // why the second
            unless resource.frozen // trailing
        }
        """;
    assertThat(fmt(in)).isEqualTo("""
        policy p on A {
          permit read to owner // head note
              // why the first
              when resource.owner == principal.id
              // why the second
              unless resource.frozen // trailing
        }
        """);
  }

  /** Issue 9.10: a condition wider than the width breaks before each top-level `and`/`or`. */
  @Test
  void aLongConditionBreaksBeforeItsTopLevelOperators() {
    String cond = "resource.owner == principal.id and resource.tenant == principal.tenant and resource.open"
        + " and (context.a or context.b) and resource.kind == \"" + "k".repeat(300) + "\"";
    assertThat(fmt("policy p on A { permit write when " + cond + " }")).isEqualTo("""
        policy p on A {
          permit write
              when resource.owner == principal.id
                and resource.tenant == principal.tenant
                and resource.open
                and (context.a or context.b)
                and resource.kind == "%s"
        }
        """.formatted("k".repeat(300)));
    String or = "principal.id == \"" + "a".repeat(60) + "\" or principal.id == \"" + "b".repeat(60) + "\"";
    assertThat(fmt("role r on A when " + or)).isEqualTo("role r on A\n    when principal.id == \"" + "a".repeat(60)
        + "\"\n      or principal.id == \"" + "b".repeat(60) + "\"\n");
  }
}

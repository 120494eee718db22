package dev.verdict.lang.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.lang.route.RouteMatch.Matched;
import dev.verdict.lang.route.RouteMatch.Reason;
import dev.verdict.lang.route.RouteMatch.Unmatched;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

  private static final RouteTable BANKING = Routes.table("""
      route GET    "/accounts"                          -> Account.list
      route GET    "/accounts/{id}"                     -> Account[id].read
      route PUT    "/accounts/{id}"                     -> Account[id].update
      route GET    "/accounts/me"                       -> Account.readOwn
      route POST   "/accounts/{id}/transfers"           -> Account[id].transfer intent "funds.transfer"
      route GET    "/accounts/{id}/cards/{card}"        -> Card[card].read
      route DELETE "/admin/users/{uid}"                 -> User[uid].delete
      route GET    "/"                                  -> Home.read
      route GET    "/files/{path}"                      -> File[path].read
      """);

  private static Matched matched(RouteMatch m) {
    assertThat(m).isInstanceOf(Matched.class);
    return (Matched) m;
  }

  private static Unmatched unmatched(RouteMatch m) {
    assertThat(m).isInstanceOf(Unmatched.class);
    return (Unmatched) m;
  }

  @Test
  void matchesAnItemRouteWithItsIdAndAction() {
    Matched m = matched(BANKING.match("GET", "/accounts/a1"));
    assertThat(m.resourceType()).isEqualTo("Account");
    assertThat(m.resourceId()).contains("a1");
    assertThat(m.action()).isEqualTo("read");
    assertThat(m.intent()).isEmpty();
    assertThat(m.params()).isEqualTo(Map.of("id", "a1"));
    assertThat(m.route().template()).isEqualTo("/accounts/{id}");
    assertThat(m.isMatch()).isTrue();
  }

  @Test
  void collectionRoutesHaveNoId() {
    Matched m = matched(BANKING.match("GET", "/accounts"));
    assertThat(m.action()).isEqualTo("list");
    assertThat(m.resourceId()).isEmpty();
    assertThat(m.params()).isEmpty();
  }

  @Test
  void aQuotedIdIsTheResourceIdOfEveryRequest() {
    RouteTable t = Routes.table("""
        route POST "/auth/session"        -> AuthApi["session"].login intent "auth.login"
        route POST "/orgs/{org}/invite"   -> Invites["all"].create
        """);
    Matched m = matched(t.match("POST", "/auth/session?next=/home"));
    assertThat(m.resourceType()).isEqualTo("AuthApi");
    assertThat(m.resourceId()).contains("session");
    assertThat(m.params()).isEmpty();
    Matched invite = matched(t.match("POST", "/orgs/o1/invite"));
    assertThat(invite.resourceId()).contains("all");
    assertThat(invite.params()).isEqualTo(Map.of("org", "o1"));
  }

  @Test
  void routeInBracketsMakesTheTemplateTheId() {
    RouteTable t = Routes.table("""
        route POST "/auth/password-reset" -> Endpoint[route].call
        route GET  "/users/{uid}/keys"    -> Endpoint[route].call
        route GET  "/legacy/{route}"      -> Page[route].read
        """);
    assertThat(matched(t.match("POST", "/auth/password-reset")).resourceId()).contains("/auth/password-reset");
    assertThat(matched(t.match("GET", "/users/u1/keys")).resourceId()).contains("/users/{uid}/keys");
    // a parameter named `route` is bound as any parameter is
    assertThat(matched(t.match("GET", "/legacy/home")).resourceId()).contains("home");
  }

  @Test
  void publicRoutesAreMarkedByTheirAnnotation() {
    RouteTable t = Routes.table("""
        @public route POST "/auth/login" -> AuthApi["login"].login
        route GET "/accounts/{id}" -> Account[id].read
        """);
    assertThat(matched(t.match("POST", "/auth/login")).route().isPublic()).isTrue();
    assertThat(matched(t.match("GET", "/accounts/a1")).route().isPublic()).isFalse();
  }

  @Test
  void carriesTheIntent() {
    Matched m = matched(BANKING.match("POST", "/accounts/a1/transfers"));
    assertThat(m.action()).isEqualTo("transfer");
    assertThat(m.intent()).contains("funds.transfer");
  }

  @Test
  void resourceIdIsTheNamedParameterAndEveryParameterIsReported() {
    Matched m = matched(BANKING.match("GET", "/accounts/a1/cards/c9"));
    assertThat(m.resourceType()).isEqualTo("Card");
    assertThat(m.resourceId()).contains("c9");
    assertThat(m.params()).containsExactly(Map.entry("id", "a1"), Map.entry("card", "c9"));
  }

  @Test
  void literalSegmentsWinOverParameters() {
    assertThat(matched(BANKING.match("GET", "/accounts/me")).action()).isEqualTo("readOwn");
    assertThat(matched(BANKING.match("GET", "/accounts/mf")).action()).isEqualTo("read");
  }

  @Test
  void aLiteralPathWithoutTheMethodFallsBackToTheParameterRoute() {
    // PUT /accounts/me: the literal node has only GET, so the PUT on {id} applies with id "me".
    Matched m = matched(BANKING.match("PUT", "/accounts/me"));
    assertThat(m.action()).isEqualTo("update");
    assertThat(m.resourceId()).contains("me");
  }

  @Test
  void backtracksOutOfALiteralBranchThatDeadEnds() {
    RouteTable t = Routes.table("""
        route GET "/a/{x}/c" -> R[x].one
        route GET "/a/b/d"   -> R.two
        """);
    Matched m = matched(t.match("GET", "/a/b/c"));
    assertThat(m.action()).isEqualTo("one");
    assertThat(m.params()).isEqualTo(Map.of("x", "b"));
    assertThat(matched(t.match("GET", "/a/b/d")).action()).isEqualTo("two");
  }

  @Test
  void literalsWithCollidingHashesStayApart() {
    // "Aa", "BB" share a hash code, as do "AaAa", "AaBB", "BBAa" and "BBBB".
    RouteTable t = Routes.table("""
        route GET "/Aa"   -> R.aa
        route GET "/BB"   -> R.bb
        route GET "/AaBB" -> R.aabb
        route GET "/BBAa" -> R.bbaa
        """);
    assertThat(matched(t.match("GET", "/Aa")).action()).isEqualTo("aa");
    assertThat(matched(t.match("GET", "/BB")).action()).isEqualTo("bb");
    assertThat(matched(t.match("GET", "/%42B")).action()).isEqualTo("bb");
    assertThat(matched(t.match("GET", "/AaBB")).action()).isEqualTo("aabb");
    assertThat(matched(t.match("GET", "/BB%41a")).action()).isEqualTo("bbaa");
    assertThat(unmatched(t.match("GET", "/AaAa")).reason()).isEqualTo(Reason.NO_ROUTE);
    assertThat(unmatched(t.match("GET", "/BBBB")).reason()).isEqualTo(Reason.NO_ROUTE);
  }

  @Test
  void theRootRouteMatchesSlash() {
    assertThat(matched(BANKING.match("GET", "/")).resourceType()).isEqualTo("Home");
    assertThat(matched(BANKING.match("GET", "/?x=1")).resourceType()).isEqualTo("Home");
  }

  @Test
  void headFallsBackToGet() {
    Matched m = matched(BANKING.match("HEAD", "/accounts/a1"));
    assertThat(m.action()).isEqualTo("read");
    assertThat(m.route().method()).isEqualTo("GET");
  }

  @Test
  void anExplicitHeadRouteWinsOverGet() {
    RouteTable t = Routes.table("""
        route GET  "/x" -> R.get
        route HEAD "/x" -> R.head
        """);
    assertThat(matched(t.match("HEAD", "/x")).action()).isEqualTo("head");
  }

  @Test
  void methodsAreExactAndCaseSensitive() {
    Unmatched u = unmatched(BANKING.match("get", "/accounts/a1"));
    assertThat(u.reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
    assertThat(u.allowedMethods()).containsExactly("GET", "HEAD", "PUT");
  }

  @Test
  void aKnownPathWithAnUndeclaredMethodIsMethodNotAllowed() {
    Unmatched u = unmatched(BANKING.match("DELETE", "/accounts/a1"));
    assertThat(u.reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
    assertThat(u.allowedMethods()).containsExactly("GET", "HEAD", "PUT");
    assertThat(u.message()).isEqualTo("no route for this method matches the path");
  }

  @Test
  void anUnknownPathIsNoRoute() {
    Unmatched u = unmatched(BANKING.match("GET", "/nothing/here"));
    assertThat(u.reason()).isEqualTo(Reason.NO_ROUTE);
    assertThat(u.allowedMethods()).isEmpty();
    assertThat(u.isMatch()).isFalse();
  }

  @Test
  void anEmptyTableMatchesNothing() {
    assertThat(unmatched(RouteTable.empty().match("GET", "/")).reason()).isEqualTo(Reason.NO_ROUTE);
  }

  @Test
  void nullsAreRefusedNotThrown() {
    assertThat(unmatched(BANKING.match(null, "/")).reason()).isEqualTo(Reason.REFUSED_PATH);
    assertThat(unmatched(BANKING.match("GET", null)).reason()).isEqualTo(Reason.REFUSED_PATH);
  }

  /** Normalised requests: the same route as the plain path, with these parameters. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/accounts/a1?x=1&y=/../admin    | a1",
      "/accounts/a1#frag               | a1",
      "/accounts/a1?q#f                | a1",
      "/accounts//a1                   | a1",
      "//accounts///a1                 | a1",
      "/accounts/a1/                   | a1",
      "/accounts/%61%31                | a1",
      "/%61ccounts/a1                  | a1",
      "/accounts/a%3Bx=y               | a;x=y",
      "/accounts/caf%C3%A9             | café",
      "/accounts/a.b                   | a.b",
      "/accounts/...                   | ...",
      "/accounts/a%20b                 | a b",
      "/accounts/a%3Fb                 | a?b",
      "/accounts/%E2%82%AC             | €",
  })
  void normalisesHarmlessForms(String path, String id) {
    Matched m = matched(BANKING.match("GET", path));
    assertThat(m.action()).isEqualTo("read");
    assertThat(m.resourceId()).contains(id);
  }

  /** Refused requests, with the reason given. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/accounts/a1/../../admin/users/x      | `..` segment",
      "/admin/users/../../accounts/a1        | `..` segment",
      "/accounts/./a1                        | `.` segment",
      "/accounts/%2e%2e/admin                | encoded `.` or `..`",
      "/accounts/%2E%2E                      | encoded `.` or `..`",
      "/accounts/.%2e                        | encoded `.` or `..`",
      "/accounts/%2e                         | encoded `.` or `..`",
      "/accounts/a1%2F..%2Fx                 | encoded `.` or `..`",
      "/accounts/a1%2F..                     | encoded `.` or `..`",
      "/accounts/..%2Fadmin                  | encoded `.` or `..`",
      "/accounts/a%2Fb                       | encoded `/`",
      "/accounts/a%2fb                       | encoded `/`",
      "/files/a%2Fb%2Fc                      | encoded `/`",
      "/accounts/a1%00                       | encoded control character",
      "/accounts/a1%0d%0aSet-Cookie:x        | encoded control character",
      "/accounts/a1%7F                       | encoded control character",
      "/accounts/a1%C2%85                    | encoded control character",
      "/accounts/a1%5C..%5Cadmin             | encoded backslash",
      "/accounts\\a1                         | backslash",
      "/accounts/a1;x=y                      | `;`",
      "/accounts/a1%                         | malformed percent-encoding",
      "/accounts/a1%2                        | malformed percent-encoding",
      "/accounts/a1%zz                       | malformed percent-encoding",
      "/accounts/a1%C3                       | not valid UTF-8",
      "/accounts/%C0%AE%C0%AE                | not valid UTF-8",
      "/accounts/%ED%A0%80                   | not valid UTF-8",
      "/accounts/%FF                         | not valid UTF-8",
      "/accounts/caf\u00e9                   | raw non-ASCII",
      "/accounts/a b                         | a space",
      "/accounts/a<b                         | `<`",
      "/accounts/%EF%BC%8E%EF%BC%8E          | normalise",
      "/accounts/a%EF%BC%8Fb                 | normalise",
      "accounts/a1                           | does not start with `/`",
      "*                                     | does not start with `/`",
      "http://evil/accounts/a1               | does not start with `/`",
  })
  void refusesAmbiguousForms(String path, String because) {
    Unmatched u = unmatched(BANKING.match("GET", path));
    assertThat(u.reason()).isEqualTo(Reason.REFUSED_PATH);
    assertThat(u.message()).contains(because);
    assertThat(u.message()).doesNotContain(path);
  }

  @Test
  void refusesControlCharactersAndAnEmptyTarget() {
    assertThat(unmatched(BANKING.match("GET", "/accounts/a\u0000")).message())
        .isEqualTo("the path contains a control character");
    assertThat(unmatched(BANKING.match("GET", "/accounts/a\tb")).message())
        .isEqualTo("the path contains a control character");
    assertThat(unmatched(BANKING.match("GET", "")).message()).isEqualTo("the path is empty");
  }

  @Test
  void literalsAreCaseSensitive() {
    assertThat(unmatched(BANKING.match("GET", "/ACCOUNTS/a1")).reason()).isEqualTo(Reason.NO_ROUTE);
    assertThat(unmatched(BANKING.match("GET", "/Accounts/a1")).reason()).isEqualTo(Reason.NO_ROUTE);
  }

  @Test
  void anEncodedSlashNeverSeparatesSegments() {
    // "/admin%2Fusers/x" must not reach "/admin/users/{uid}".
    assertThat(unmatched(BANKING.match("DELETE", "/admin%2Fusers/x")).reason())
        .isEqualTo(Reason.REFUSED_PATH);
    assertThat(unmatched(SLASHES_ALLOWED.match("DELETE", "/admin%2Fusers/x")).reason())
        .isEqualTo(Reason.NO_ROUTE);
  }

  /**
   * {@code /admin/users/u1%2Froles} names a path no route declares for a back end that decodes
   * before routing ({@code /admin/users/u1/roles}), so by default it is refused, not matched
   * with {@code uid = "u1/roles"}.
   */
  @Test
  void anEncodedSlashInAParameterIsRefusedByDefault() {
    Unmatched u = unmatched(BANKING.match("DELETE", "/admin/users/u1%2Froles"));
    assertThat(u.reason()).isEqualTo(Reason.REFUSED_PATH);
    assertThat(u.message()).contains("%2F").doesNotContain("u1");
    assertThat(unmatched(BANKING.match("DELETE", "/admin/users/u1/roles")).reason()).isEqualTo(Reason.NO_ROUTE);
  }

  private static final RouteTable SLASHES_ALLOWED = RouteTable.build(Routes.parse("""
      route GET    "/accounts/{id}"                     -> Account[id].read
      route DELETE "/admin/users/{uid}"                 -> User[uid].delete
      route GET    "/files/{path}"                      -> File[path].read
      """), true);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/files/a%2Fb%2Fc                | a/b/c",
      "/accounts/a%2Fb                 | a/b",
      "/accounts/%EF%AC%81%2Fx         | ﬁ/x",
  })
  void aTableMayAllowEncodedSlashesInParameters(String path, String id) {
    assertThat(matched(SLASHES_ALLOWED.match("GET", path)).resourceId()).contains(id);
  }

  @Test
  void boundsThePathLengthAndSegmentCount() {
    String longest = "/files/" + "a".repeat(RouteTable.MAX_PATH_LENGTH - 7);
    assertThat(matched(BANKING.match("GET", longest)).resourceId().orElseThrow()).hasSize(4089);
    Unmatched tooLong = unmatched(BANKING.match("GET", longest + "a"));
    assertThat(tooLong.message()).isEqualTo("the path is longer than 4096 characters");

    String deepest = "/x".repeat(RouteTable.MAX_SEGMENTS);
    assertThat(unmatched(BANKING.match("GET", deepest)).reason()).isEqualTo(Reason.NO_ROUTE);
    Unmatched tooDeep = unmatched(BANKING.match("GET", deepest + "/x"));
    assertThat(tooDeep.message()).isEqualTo("the path has more than 64 segments");
    // Empty segments do not count: slashes collapse before the bound applies.
    assertThat(unmatched(BANKING.match("GET", "/".repeat(200) + "x")).reason())
        .isEqualTo(Reason.NO_ROUTE);
  }

  @Test
  void deepTemplatesMatchAtTheBound() {
    StringBuilder template = new StringBuilder();
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < RouteTable.MAX_SEGMENTS; i++) {
      template.append("/{p").append(i).append('}');
      path.append("/v").append(i);
    }
    RouteTable t = Routes.table("route GET \"" + template + "\" -> R[p63].read");
    Matched m = matched(t.match("GET", path.toString()));
    assertThat(m.params()).hasSize(64).containsEntry("p0", "v0").containsEntry("p63", "v63");
    assertThat(m.resourceId()).contains("v63");
  }

  @Test
  void buildRefusesRoutesThatMatchTheSameRequests() {
    assertThatThrownBy(() -> Routes.table("""
        route GET "/a/{x}" -> R[x].one
        route GET "/a/{y}" -> R[y].two
        """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("routes `GET /a/{x}` and `GET /a/{y}` match the same requests");
    // Different methods on one shape are fine.
    RouteTable t = Routes.table("""
        route GET "/a/{x}" -> R[x].one
        route PUT "/a/{y}" -> R[y].two
        """);
    assertThat(matched(t.match("PUT", "/a/1")).params()).isEqualTo(Map.of("y", "1"));
  }

  @Test
  void buildRefusesAnIdParameterTheTemplateLacks() {
    assertThatThrownBy(() -> Routes.table("route GET \"/a/{x}\" -> R[y].read"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("route `GET /a/{x}` has no parameter `y`");
  }

  @Test
  void buildRefusesMethodsThatAreNotUpperCaseTokens() {
    assertThatThrownBy(() -> Routes.table("route get \"/a\" -> R.read"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("`get` is not an HTTP method in upper case");
  }

  @Test
  void keepsTheRoutesInDeclarationOrder() {
    assertThat(BANKING.routes()).hasSize(9);
    assertThat(BANKING.routes().get(0).template()).isEqualTo("/accounts");
    assertThat(BANKING.toString()).isEqualTo("RouteTable[9 routes]");
  }

  @Test
  void paramsAreImmutable() {
    Matched m = matched(BANKING.match("GET", "/accounts/a1/cards/c1"));
    assertThatThrownBy(() -> m.params().put("id", "x")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(m.intent()).isEqualTo(Optional.empty());
  }
}

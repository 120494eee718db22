package dev.verdict.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Language features of issue 13 decided through the gateway: the banking set plus one policy
 * under test, a real token, and {@code GET /accounts/a1} (alice's account a1, in branch
 * b-leeds, from the fixture's data).
 */
class GatewayLanguageTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path tmp;
  GatewayFixture gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  /** Adds {@code policy} (a whole file) to the set, then serves it. */
  private void start(String policy) throws Exception {
    start(policy, null);
  }

  /** Adds {@code policy} and, unless null, an entity data file to the set, then serves it. */
  private void start(String policy, String data) throws Exception {
    gw = new GatewayFixture(tmp, config -> {
      try {
        Files.writeString(tmp.resolve("banking").resolve("zz_lang.verdict"), policy);
        if (data != null) {
          Files.writeString(tmp.resolve("banking").resolve("zz_lang.entities.json"), data);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return config;
    });
  }

  private HttpResponse<String> readA1() throws Exception {
    return get("/accounts/a1", "alice");
  }

  private HttpResponse<String> get(String uri, String subject) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/check")).timeout(Duration.ofSeconds(20))
        .header("X-Original-Method", "GET").header("X-Original-URI", uri)
        .header("Authorization", "Bearer " + GatewayFixture.token(subject, "customer")).GET().build();
    return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String uri, String subject) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/check")).timeout(Duration.ofSeconds(20))
        .header("X-Original-Method", method).header("X-Original-URI", uri)
        .header("Authorization", "Bearer " + GatewayFixture.token(subject, "customer")).GET().build();
    return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** Issue 13 gap 8: a read mask for `view` only, with `when … unless …`; an export carries none. */
  @Test
  void aFieldBlockOnAnActionMasksThatActionOnly() throws Exception {
    start("""
        entity Report {
          owner: String
          secret: String
        }

        route GET "/reports/{id}" -> Report[id].view
        route POST "/reports/{id}/export" -> Report[id].export

        policy reports on Report {
          @id("report-any") permit view, export
          fields read on view {
            secret: hide when resource.owner != principal.id unless admin
          }
        }
        """, """
        [{"uid": {"type": "Report", "id": "r1"}, "attrs": {"owner": "alice", "secret": "s"}, "parents": []}]
        """);
    HttpResponse<String> bobViews = send("GET", "/reports/r1", "bob");
    assertThat(bobViews.statusCode()).as(bobViews.body()).isEqualTo(200);
    assertThat(bobViews.headers().firstValue("X-Verdict-Field-Mask")).hasValue("secret=hide");
    HttpResponse<String> aliceViews = send("GET", "/reports/r1", "alice");
    assertThat(aliceViews.statusCode()).as(aliceViews.body()).isEqualTo(200);
    assertThat(aliceViews.headers().firstValue("X-Verdict-Field-Mask").orElse("")).as("no mask").isEmpty();
    HttpResponse<String> bobExports = send("POST", "/reports/r1/export", "bob");
    assertThat(bobExports.statusCode()).as(bobExports.body()).isEqualTo(200);
    assertThat(bobExports.headers().firstValue("X-Verdict-Field-Mask").orElse("")).as("no mask").isEmpty();
  }

  /** Issue 13 gap 2: a route to a namespaced type, its entity data, rules on it. */
  @Test
  void aRouteToANamespacedTypeDecides() throws Exception {
    start("""
        entity App::Doc {
          owner: String
        }

        route GET "/app/docs/{id}" -> App::Doc[id].view

        policy app_docs on App::Doc {
          @id("app-owner") permit view when resource.owner == principal.id and resource is App::Doc
        }
        """, """
        [{"uid": {"type": "App::Doc", "id": "d1"}, "attrs": {"owner": "alice"}, "parents": []}]
        """);
    HttpResponse<String> alice = send("GET", "/app/docs/d1", "alice");
    assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
    HttpResponse<String> bob = send("GET", "/app/docs/d1", "bob");
    assertThat(bob.statusCode()).as(bob.body()).isEqualTo(403);
  }

  @Test
  void quotedActionsAndAttributesRouteAndDecide() throws Exception {
    start("""
        entity Report {
          "x-owner": String
        }

        route GET "/reports/{id}" -> Report[id]."view-report"

        policy reports on Report {
          @id("report-owner") @owner("team-finance")
          permit "view-report" when resource["x-owner"] == principal.id
        }
        """, """
        [{"uid": {"type": "Report", "id": "r1"}, "attrs": {"x-owner": "alice"}, "parents": []}]
        """);
    HttpResponse<String> alice = get("/reports/r1", "alice");
    assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
    HttpResponse<String> bob = get("/reports/r1", "bob");
    assertThat(bob.statusCode()).as(bob.body()).isEqualTo(403);
  }

  @Test
  void containsIsExactWhereInFollowsTheParents() throws Exception {
    start("""
        policy lang on Account {
          @id("exact") forbid read when [Branch::"b-leeds"].contains(resource)
        }
        """);
    assertThat(readA1().statusCode()).as("a1 is in b-leeds, but is not b-leeds").isEqualTo(200);
  }

  @Test
  void containsMatchesTheEntityItself() throws Exception {
    start("""
        policy lang on Account {
          @id("exact") forbid read when [Account::"a1"].contains(resource) and resource in [Branch::"b-leeds"]
        }
        """);
    HttpResponse<String> r = readA1();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("exact");
  }

  /** The server's clock stamps `context.now`; the time functions read it like any Time. */
  @Test
  void timeFunctionsReadTheServersClock() throws Exception {
    start("""
        policy lang on Account {
          @id("after-2000") forbid read when toDate(context.now) > time("2000-01-01") and toTime(context.now) >= 0h
              and minute(context.now) < 60 and second(context.now) < 60 and context.now > time("1999-12-31T19:00:00-0500")
        }
        """);
    HttpResponse<String> r = readA1();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("after-2000");
  }

  @Test
  void aTimeConditionThatDoesNotHoldLetsThrough() throws Exception {
    start("""
        policy lang on Account {
          @id("before-2000") forbid read when toDate(context.now) < time("2000-01-01")
        }
        """);
    assertThat(readA1().statusCode()).isEqualTo(200);
  }
}

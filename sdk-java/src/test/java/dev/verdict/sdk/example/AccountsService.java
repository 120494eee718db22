package dev.verdict.sdk.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.verdict.sdk.Decision;
import dev.verdict.sdk.Principal;
import dev.verdict.sdk.VerdictClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The SDK's example service (docs/sdk.md): a tiny accounts API on the JDK's HttpServer.
 * {@code GET /accounts/{id}} answers the account with the caller's read mask applied;
 * {@code PATCH /accounts/{id}} refuses a body that sets a field the caller may not set
 * ({@code owner}). Who the caller is comes from {@code X-User}, standing in for the service's
 * own authentication.
 *
 * <p>Run it: {@code java ... AccountsService policies/banking 8080}, then
 * {@code curl -H 'X-User: alice' localhost:8080/accounts/A-1001}.
 */
public final class AccountsService implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AccountsService.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VerdictClient verdict;
  private final HttpServer server;
  private final Map<String, ObjectNode> accounts = new ConcurrentHashMap<>();

  public AccountsService(VerdictClient verdict, int port) throws IOException {
    this.verdict = verdict;
    accounts.put("A-1001", (ObjectNode) JSON.readTree("{\"id\":\"A-1001\",\"owner\":\"alice\",\"balance\":2500,"
        + "\"number\":\"4000123412341234\",\"holder\":{\"name\":\"Alice Archer\",\"ssn\":\"123-45-6789\"}}"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/accounts/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String user = ex.getRequestHeaders().getFirst("X-User");
      if (user == null) {
        send(ex, 401, "{\"error\":\"who are you?\"}");
        return;
      }
      Principal caller = Principal.of(user).roles("customer").attr("tenant", "bank1");
      // The route table turns METHOD + path into the resource, the action and the intent.
      Decision d = verdict.check(ex.getRequestMethod(), ex.getRequestURI().toString(), caller);
      d.failure().ifPresent(why -> LOG.warning("no decision: " + why));
      if (!d.allowed()) {
        send(ex, d.outcome() == Decision.Outcome.RATE_LIMITED ? 429 : 403, "{\"error\":\"forbidden\"}");
        return;
      }
      String id = ex.getRequestURI().getPath().substring("/accounts/".length());
      ObjectNode account = accounts.get(id);
      if (account == null) {
        send(ex, 404, "{\"error\":\"no such account\"}");
        return;
      }
      if (ex.getRequestMethod().equals("PATCH")) {
        JsonNode body = JSON.readTree(ex.getRequestBody().readNBytes(64 * 1024));
        List<String> denied = d.deniedWrites(body);
        if (!denied.isEmpty()) {
          send(ex, 403, JSON.createObjectNode().put("error", "you may not set these fields")
              .set("fields", JSON.valueToTree(denied)).toString());
          return;
        }
        account.setAll((ObjectNode) body);
      }
      send(ex, 200, d.applyReadMask(account).toString());
    }
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    verdict.close();
  }

  public static void main(String[] args) throws IOException {
    Path policies = Path.of(args.length > 0 ? args[0] : "policies/banking");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    AccountsService s = new AccountsService(VerdictClient.embedded(policies).build(), port);
    System.out.println("accounts service on http://127.0.0.1:" + s.port());
  }
}

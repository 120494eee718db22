package dev.verdict.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A JDK HttpServer that answers as scripted, for the faults a real server does not make on demand. */
final class FakePdp implements AutoCloseable {
  /** One answer to one request. */
  interface Script {
    void answer(HttpExchange ex, int n) throws IOException;
  }

  static final String ALLOW = "{\"decisionId\":\"d1\",\"policyVersion\":\"sha256:v1\",\"cacheTtlSeconds\":%d,"
      + "\"results\":[{\"resource\":{\"type\":\"Account\",\"id\":\"a1\"},\"action\":\"read\",\"decision\":\"allow\","
      + "\"allowed\":true,\"reasons\":[\"owner-access\"],\"errors\":[],\"readMask\":{\"holder.ssn\":\"partial(4)\"},"
      + "\"writeDenied\":[\"owner\"],\"rate\":null}]}";

  final HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  FakePdp(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-pdp");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", ex -> {
      int n = requests.incrementAndGet();
      authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      ex.getRequestBody().readAllBytes();
      try {
        script.answer(ex, n);
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    }
  }

  static void json(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "application/json", body);
  }

  static String allow(int ttl) {
    return String.format(ALLOW, ttl);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

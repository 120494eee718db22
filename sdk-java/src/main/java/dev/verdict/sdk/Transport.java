package dev.verdict.sdk;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs JSON to the first healthy endpoint. Only failures that prove the request was not
 * processed (connection refused, 503) are retried, on the next healthy endpoint at once or,
 * with none left, after an exponential backoff with full jitter; an endpoint that failed so
 * rests for a while before it is tried first again. The whole call, retries included, has one
 * deadline.
 */
final class Transport {
  /** An answer with status 200 and a JSON body. */
  record Answer(URI endpoint, byte[] body) {}

  private static final class Endpoint {
    final URI base;
    volatile long downUntilNanos;

    Endpoint(URI base) {
      this.base = base;
    }

    boolean healthy(long now) {
      return now - downUntilNanos >= 0;
    }
  }

  private final HttpClient http;
  private final List<Endpoint> endpoints;
  private final Duration deadline;
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration rest;
  private final String apiKey;
  private final long maxBodyBytes;

  Transport(HttpClient http, List<URI> endpoints, Duration deadline, int maxAttempts, Duration backoff, Duration rest,
      String apiKey, long maxBodyBytes) {
    this.http = http;
    List<Endpoint> es = new ArrayList<>();
    endpoints.forEach(u -> es.add(new Endpoint(u)));
    this.endpoints = List.copyOf(es);
    this.deadline = deadline;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.rest = rest;
    this.apiKey = apiKey;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Completes with the answer, or exceptionally with a {@link Failure}. */
  CompletableFuture<Answer> post(String path, byte[] json) {
    long until = System.nanoTime() + deadline.toNanos();
    CompletableFuture<Answer> f = new CompletableFuture<>();
    attempt(path, json, 1, until, f, null);
    return f.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(t -> {
      Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      if (c instanceof TimeoutException) {
        return CompletableFuture.failedFuture(new Failure("no answer within the deadline of " + deadline.toMillis()
            + " ms (" + path + ")"));
      }
      return CompletableFuture.failedFuture(c);
    });
  }

  private void attempt(String path, byte[] json, int n, long until, CompletableFuture<Answer> out, Failure last) {
    if (out.isDone()) {
      return;
    }
    long now = System.nanoTime();
    long left = until - now;
    if (left <= 0) {
      out.completeExceptionally(last != null ? last : new Failure("no answer within the deadline"));
      return;
    }
    Endpoint e = pick(now);
    HttpRequest.Builder b = HttpRequest.newBuilder(e.base.resolve(path))
        .timeout(Duration.ofNanos(left))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    if (apiKey != null) {
      b.header("Authorization", "ApiKey " + apiKey);
    }
    http.sendAsync(b.build(), BoundedBody.handler(maxBodyBytes)).handle((r, t) -> {
      try {
        out.complete(read(e, r, t));
      } catch (Failure f) {
        if (f.retriable()) {
          e.downUntilNanos = System.nanoTime() + rest.toNanos();
        }
        if (!f.retriable() || n >= maxAttempts) {
          out.completeExceptionally(n > 1 ? new Failure(f.getMessage() + " (after " + n + " attempts)") : f);
        } else if (pick(System.nanoTime()).healthy(System.nanoTime()) && endpoints.size() > 1) {
          attempt(path, json, n + 1, until, out, f);
        } else {
          long cap = backoff.toNanos() << Math.min(n - 1, 16);
          long sleep = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
          CompletableFuture.delayedExecutor(sleep, TimeUnit.NANOSECONDS)
              .execute(() -> attempt(path, json, n + 1, until, out, f));
        }
      }
      return null;
    });
  }

  /** The first healthy endpoint in the configured order, else the one whose rest ends first. */
  private Endpoint pick(long now) {
    Endpoint soonest = endpoints.get(0);
    for (Endpoint e : endpoints) {
      if (e.healthy(now)) {
        return e;
      }
      if (e.downUntilNanos - soonest.downUntilNanos < 0) {
        soonest = e;
      }
    }
    return soonest;
  }

  private static Answer read(Endpoint e, HttpResponse<byte[]> r, Throwable t) throws Failure {
    String where = e.base.getHost() + ":" + e.base.getPort();
    if (t != null) {
      Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      if (c instanceof ConnectException) {
        return fail("cannot connect to the decision point at " + where + " (connection refused)", true);
      }
      if (c instanceof HttpTimeoutException) {
        throw new Failure("no answer from the decision point at " + where + " within the deadline");
      }
      if (c instanceof IOException) {
        throw new Failure("the answer from " + where + " was cut off or unreadable: " + safe(c.getMessage()));
      }
      throw new Failure("the call to " + where + " failed: " + c.getClass().getSimpleName());
    }
    int status = r.statusCode();
    if (status == 503) {
      return fail("the decision point at " + where + " is unavailable (503" + errorCode(r) + ")", true);
    }
    if (status != 200) {
      throw new Failure("the decision point at " + where + " answered " + status + errorCode(r) + hint(status));
    }
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new Failure("the answer from " + where + " is not JSON (Content-Type: " + safe(type) + ")");
    }
    return new Answer(e.base, r.body());
  }

  private static Answer fail(String message, boolean retriable) throws Failure {
    throw new Failure(message, retriable);
  }

  private static String hint(int status) {
    switch (status) {
      case 401:
        return "; the client needs an API key with the decide scope (RemoteBuilder.apiKey)";
      case 403:
        return "; the client's credential lacks the decide scope";
      case 413:
        return "; the batch is over the server's limits (100 resources, 20 actions, 500 pairs by default)";
      default:
        return "";
    }
  }

  /**
   * The server's error code ({@code internal_error}), when its error body says one, and the
   * JSON path it names ({@code invalid_request at $.resourceType}): where the request is wrong,
   * never its values.
   */
  private static String errorCode(HttpResponse<byte[]> r) {
    try {
      var error = Json.MAPPER.readTree(r.body()).path("error");
      var code = error.path("code");
      var path = error.path("details").path("path");
      return code.isTextual() ? " " + safe(code.textValue()) + (path.isTextual() ? " at " + safe(path.textValue()) : "")
          : "";
    } catch (IOException | RuntimeException ex) {
      return "";
    }
  }

  /** At most 200 printable characters of text from the network. */
  static String safe(String s) {
    if (s == null) {
      return "";
    }
    String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    return t.replaceAll("[\\p{Cntrl}]", "?");
  }
}

package dev.verdict.sdk.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.sdk.Decision;
import dev.verdict.sdk.Principal;
import dev.verdict.sdk.Rate;
import dev.verdict.sdk.VerdictClient;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Guards a service's own endpoints with the policy set's route table, as the gateway check
 * does: a request no route declares or the policy denies is a 403; a spent budget is a 429 with
 * {@code Retry-After}; a JSON body setting a field the caller may not set is a 403 naming the
 * fields (mass assignment); a JSON response is masked with the decision's read mask. When no
 * decision can be had the answer is a 503 (closed), and the failure is logged.
 *
 * <pre>{@code
 * FilterRegistration.Dynamic f = context.addFilter("verdict",
 *     new VerdictFilter(client, request -> Optional.ofNullable(principalFromYourAuth(request))));
 * f.addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 *
 * Works in any Servlet 6 container (Jetty 12, Tomcat 10.1+, Spring Boot 3); the servlet API is
 * an optional dependency of the SDK.
 */
public final class VerdictFilter implements Filter {
  /** The largest request body checked; larger ones to guarded write routes are refused (413). */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  /** The largest response body masked; larger ones are refused rather than sent unmasked. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 8 << 20;

  private static final Logger LOG = Logger.getLogger(VerdictFilter.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VerdictClient client;
  private final Function<HttpServletRequest, Optional<Principal>> principals;
  private final Function<HttpServletRequest, Map<String, ?>> contexts;
  private final int maxBodyBytes;
  private final int maxResponseBytes;

  /** @param principals who is asking, from the service's own authentication; empty means a 401 */
  public VerdictFilter(VerdictClient client, Function<HttpServletRequest, Optional<Principal>> principals) {
    this(client, principals, r -> Map.of(), DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_RESPONSE_BYTES);
  }

  /** @param contexts context attributes of a request ({@code ip}, {@code mfa}) */
  public VerdictFilter(VerdictClient client, Function<HttpServletRequest, Optional<Principal>> principals,
      Function<HttpServletRequest, Map<String, ?>> contexts, int maxBodyBytes, int maxResponseBytes) {
    this.client = Objects.requireNonNull(client, "client is null");
    this.principals = Objects.requireNonNull(principals, "principals is null");
    this.contexts = Objects.requireNonNull(contexts, "contexts is null");
    this.maxBodyBytes = maxBodyBytes;
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = (HttpServletRequest) request;
    HttpServletResponse res = (HttpServletResponse) response;
    Optional<Principal> principal;
    try {
      principal = principals.apply(req);
    } catch (RuntimeException e) {
      principal = Optional.empty();
    }
    if (principal == null || principal.isEmpty()) {
      error(res, 401, "unauthenticated", "the request carries no accepted credential", null);
      return;
    }
    String target = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
    Decision d = client.check(req.getMethod(), target, principal.get(), contexts.apply(req));
    if (d.failure().isPresent()) {
      LOG.warning("no decision for " + req.getMethod() + " " + req.getRequestURI() + ": " + d.failure().get());
    }
    if (!d.allowed()) {
      refuse(res, d);
      return;
    }
    d.rate().ifPresent(r -> rateHeaders(res, r));
    HttpServletRequest forward = req;
    if (!d.writeDenied().isEmpty() && hasBody(req)) {
      byte[] body = readBounded(req.getInputStream());
      if (body == null) {
        error(res, 413, "payload_too_large", "the body is over " + maxBodyBytes + " bytes", null);
        return;
      }
      if (!isJson(req.getContentType())) {
        error(res, 415, "unsupported_media_type", "this route has protected fields: send the body as JSON", null);
        return;
      }
      JsonNode parsed;
      try {
        parsed = JSON.readTree(body);
      } catch (IOException e) {
        error(res, 400, "invalid_json", "the body is not valid JSON", null);
        return;
      }
      List<String> denied = parsed == null ? List.of() : d.deniedWrites(parsed);
      if (!denied.isEmpty()) {
        ObjectNode details = JSON.createObjectNode();
        details.putArray("fields").addAll(denied.stream().map(f -> (JsonNode) JSON.getNodeFactory().textNode(f))
            .toList());
        error(res, 403, "forbidden_fields", "the body sets fields you may not set: " + String.join(", ", denied),
            details);
        return;
      }
      forward = new CachedBodyRequest(req, body);
    }
    if (d.readMask().isEmpty()) {
      chain.doFilter(forward, res);
      return;
    }
    BufferedResponse buffered = new BufferedResponse(res, maxResponseBytes);
    chain.doFilter(forward, buffered);
    if (buffered.overflowed()) {
      error(res, 500, "internal_error", "the response is too large to be masked", null);
      return;
    }
    byte[] out = buffered.bytes();
    if (out.length > 0) {
      if (!isJson(buffered.getContentType())) {
        error(res, 500, "internal_error", "the response is not JSON, so its fields cannot be masked", null);
        return;
      }
      try {
        out = JSON.writeValueAsBytes(d.applyReadMask(JSON.readTree(out)));
      } catch (IOException e) {
        error(res, 500, "internal_error", "the response is not valid JSON, so its fields cannot be masked", null);
        return;
      }
    }
    res.setContentLength(out.length);
    res.getOutputStream().write(out);
  }

  private void refuse(HttpServletResponse res, Decision d) throws IOException {
    if (d.outcome() == Decision.Outcome.RATE_LIMITED) {
      Rate r = d.rate().orElseThrow();
      rateHeaders(res, r);
      res.setHeader("Retry-After", Long.toString(Math.max(1, r.retryAfter().getSeconds())));
      error(res, 429, "rate_limited", "the budget of `" + r.name() + "` is spent; retry after "
          + Math.max(1, r.retryAfter().getSeconds()) + " s", null);
      return;
    }
    if (d.failure().isPresent()) {
      error(res, 503, "decision_unavailable", "no authorization decision could be had; the request is refused", null);
      return;
    }
    ObjectNode details = JSON.createObjectNode();
    d.reasons().forEach(details.putArray("reasons")::add);
    error(res, 403, "forbidden", "the policy does not allow this request", details);
  }

  private static void rateHeaders(HttpServletResponse res, Rate r) {
    res.setHeader("RateLimit-Limit", Long.toString(r.limit()));
    res.setHeader("RateLimit-Remaining", Long.toString(r.remaining()));
    res.setHeader("RateLimit-Reset", Long.toString(r.reset().getSeconds()));
  }

  private static boolean hasBody(HttpServletRequest req) {
    return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.toLowerCase(java.util.Locale.ROOT);
    int semi = t.indexOf(';');
    t = (semi < 0 ? t : t.substring(0, semi)).trim();
    return t.equals("application/json") || t.endsWith("+json");
  }

  /** The body, or null when it is over the bound. */
  private byte[] readBounded(InputStream in) throws IOException {
    byte[] b = in.readNBytes(maxBodyBytes + 1);
    return b.length > maxBodyBytes ? null : b;
  }

  private static void error(HttpServletResponse res, int status, String code, String message, ObjectNode details)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode e = body.putObject("error");
    e.put("code", code);
    e.put("message", message);
    if (details != null) {
      e.set("details", details);
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    res.resetBuffer();
    res.setStatus(status);
    res.setContentType("application/json");
    res.setCharacterEncoding(StandardCharsets.UTF_8.name());
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }
}

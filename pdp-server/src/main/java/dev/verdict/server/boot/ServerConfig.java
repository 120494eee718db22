package dev.verdict.server.boot;

import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.CertificateCaller;
import dev.verdict.server.auth.JwtConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import dev.verdict.server.cluster.ClusterSettings;

/**
 * Everything {@code verdict serve} runs with, validated. Built by {@link ConfigLoader} from
 * flags, environment variables, an optional YAML file and defaults, in that precedence.
 *
 * @param port 0 picks a free port (tests)
 * @param publicUrl the PDP identifier in the AuthZEN metadata; empty: taken from each request's Host
 * @param reloadIntervalMillis how often the policy directory is polled; 0 turns watching off
 * @param decisionLog where decision records go
 * @param eventLoops HTTP server instances, one per event loop
 * @param jwt bearer-token settings; with them the gateway endpoint is served
 * @param trustForwardedFor whether the gateway endpoint takes the client address from the first
 *     hop of {@code X-Forwarded-For} instead of the peer address (only behind a gateway that
 *     overwrites the header)
 * @param cluster how this node joins its cluster; empty: it runs alone and opens no cluster port
 * @param decisionCache where decisions are cached
 * @param managementPort the port of the management listener (health and metrics, no client
 *     authentication); empty: off, 0 picks a free port (tests)
 * @param bundleKeys a JWKS file of the public keys that policy bundles must be signed with
 * @param bundleSigningKey the private JWK (one of {@code bundleKeys}) with which this node signs the
 *     cluster's bundle when a link is written over its admin API; empty: such writes are refused in a cluster
 * @param transport the kernel interface the event loops read and write sockets through
 */
public record ServerConfig(String host, int port, Path policies, Optional<String> publicUrl, long reloadIntervalMillis,
    long bodyLimitBytes, long requestTimeoutMillis, int maxResources, int maxActions, int maxPairs,
    int cacheTtlSeconds, long shutdownGraceMillis, DecisionLogTarget decisionLog, int decisionLogQueue,
    List<ApiKey> apiKeys, List<CertificateCaller> certificateCallers, Optional<Tls> tls, int eventLoops,
    Optional<JwtConfig> jwt, boolean trustForwardedFor, Connections connections, Optional<ClusterSettings> cluster,
    DecisionCacheMode decisionCache, OptionalInt managementPort, Optional<Path> bundleKeys,
    Optional<Path> bundleSigningKey, IoTransport transport) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8181;
  public static final String DEFAULT_POLICIES = "policies/banking";

  /** PEM files for HTTPS; with {@code clientCa}, clients must present a certificate it signed. */
  public record Tls(Path cert, Path key, Optional<Path> clientCa) {
    public Tls {
      Objects.requireNonNull(cert, "cert is null");
      Objects.requireNonNull(key, "key is null");
      Objects.requireNonNull(clientCa, "clientCa is null");
    }
  }

  /**
   * Bounds on what slow or many callers can hold: connections, time to send headers and bodies,
   * and the bytes of request bodies being received at once across all connections.
   *
   * @param maxConnections open connections beyond this are closed as soon as they are accepted
   * @param headerTimeoutMillis longest time from a connection's accept (or its previous answer)
   *     to the end of the next request's headers
   * @param bodyTimeoutMillis longest time from the end of a request's headers to the end of its body
   * @param bodiesInFlightBytes bodies being received at once, in declared bytes; past it a 503
   */
  public record Connections(int maxConnections, long headerTimeoutMillis, long bodyTimeoutMillis,
      long bodiesInFlightBytes) {
    public static final Connections DEFAULTS = new Connections(10_000, 10_000, 30_000, 64L * 1024 * 1024);
  }

  /** {@code stdout}, a file (appended to), or off. */
  public record DecisionLogTarget(Kind kind, Optional<Path> file) {
    public enum Kind { STDOUT, FILE, OFF }

    public static final DecisionLogTarget STDOUT = new DecisionLogTarget(Kind.STDOUT, Optional.empty());
    public static final DecisionLogTarget OFF = new DecisionLogTarget(Kind.OFF, Optional.empty());
  }

  /**
   * Where decisions are cached: nowhere, in this process, in this process in front of the
   * cluster's shared map, or shared only where computing costs more than fetching.
   */
  public enum DecisionCacheMode {
    OFF, LOCAL, CLUSTER, AUTO;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ServerConfig {
    Objects.requireNonNull(host, "host is null");
    Objects.requireNonNull(policies, "policies is null");
    Objects.requireNonNull(publicUrl, "publicUrl is null");
    Objects.requireNonNull(decisionLog, "decisionLog is null");
    apiKeys = List.copyOf(apiKeys);
    certificateCallers = List.copyOf(certificateCallers);
    Objects.requireNonNull(tls, "tls is null");
    Objects.requireNonNull(jwt, "jwt is null");
    Objects.requireNonNull(connections, "connections is null");
    Objects.requireNonNull(cluster, "cluster is null");
    Objects.requireNonNull(decisionCache, "decisionCache is null");
    Objects.requireNonNull(managementPort, "managementPort is null");
    Objects.requireNonNull(bundleKeys, "bundleKeys is null");
    Objects.requireNonNull(bundleSigningKey, "bundleSigningKey is null");
    Objects.requireNonNull(transport, "transport is null");
  }

  /** Defaults for everything, with the given policies and port: what tests start from. */
  public static ServerConfig defaults(Path policies, int port) {
    return new ServerConfig(DEFAULT_HOST, port, policies, Optional.empty(), 1_000, 1024 * 1024, 10_000, 100, 20,
        500, 5, 10_000, DecisionLogTarget.STDOUT, 10_000, List.of(), List.of(), Optional.empty(),
        Runtime.getRuntime().availableProcessors(), Optional.empty(), false, Connections.DEFAULTS, Optional.empty(),
        DecisionCacheMode.LOCAL, OptionalInt.empty(), Optional.empty(), Optional.empty(), IoTransport.AUTO);
  }

  public boolean credentialsConfigured() {
    return !apiKeys.isEmpty() || !certificateCallers.isEmpty();
  }

  public ServerConfig withApiKeys(List<ApiKey> keys) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, keys, certificateCallers, tls, eventLoops, jwt,
        trustForwardedFor, connections, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  /** HTTPS with {@code tls}, and the callers known by their client certificates. */
  public ServerConfig withTls(Tls newTls, List<CertificateCaller> callers) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, callers, Optional.of(newTls), eventLoops, jwt, trustForwardedFor, connections, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt,
        trustForwardedFor, connections, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withDecisionLog(DecisionLogTarget target, int queue) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, target,
        queue, apiKeys, certificateCallers, tls, eventLoops, jwt,
        trustForwardedFor, connections, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withReloadInterval(long millis) {
    return new ServerConfig(host, port, policies, publicUrl, millis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt,
        trustForwardedFor, connections, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withJwt(Optional<JwtConfig> settings, boolean trustForwarded) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, settings, trustForwarded, connections, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withBodyLimit(long bytes) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt,
        trustForwardedFor, connections, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withRequestTimeout(long millis) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        millis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt,
        trustForwardedFor, connections, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withConnections(Connections limits) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt, trustForwardedFor, limits, cluster, decisionCache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withCluster(Optional<ClusterSettings> settings, DecisionCacheMode cache) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt, trustForwardedFor, connections, settings,
        cache, managementPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withManagementPort(OptionalInt newPort) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt, trustForwardedFor, connections, cluster,
        decisionCache, newPort, bundleKeys, bundleSigningKey, transport);
  }

  public ServerConfig withBundleKeys(Optional<Path> keys) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt, trustForwardedFor, connections, cluster,
        decisionCache, managementPort, keys, bundleSigningKey, transport);
  }

  public ServerConfig withBundleSigningKey(Optional<Path> key) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt, trustForwardedFor, connections, cluster,
        decisionCache, managementPort, bundleKeys, key, transport);
  }

  public ServerConfig withTransport(IoTransport newTransport) {
    return new ServerConfig(host, port, policies, publicUrl, reloadIntervalMillis, bodyLimitBytes,
        requestTimeoutMillis, maxResources, maxActions, maxPairs, cacheTtlSeconds, shutdownGraceMillis, decisionLog,
        decisionLogQueue, apiKeys, certificateCallers, tls, eventLoops, jwt, trustForwardedFor, connections, cluster,
        decisionCache, managementPort, bundleKeys, bundleSigningKey, newTransport);
  }
}

package dev.verdict.server.boot;

import java.util.List;
import java.util.Map;

/**
 * The YAML configuration file's shape, member for member (kebab-case keys). Every member may be
 * left out; unknown members and wrong types are errors naming the key and line.
 */
record ConfigFile(String host, Integer port, String policies, String publicUrl, Integer eventLoops, String transport,
    Reload reload, Limits limits, Long shutdownGraceMs, DecisionLog decisionLog, Auth auth, Tls tls, Jwt jwt,
    Gateway gateway, Cluster cluster, String decisionCache, Management management, Bundles bundles) {

  /** {@code members} from the file is a list; flags and the environment take them comma-separated. */
  record Cluster(String name, List<String> members, Integer port, @com.fasterxml.jackson.annotation.JsonProperty("interface")
      String iface, String kubernetesService, Integer joinWaitSeconds, Integer heartbeatSeconds,
      Integer heartbeatTimeoutSeconds, Integer lease, Long budgetTimeoutMs) {}

  record Management(Integer port) {}

  record Bundles(String trustedKeys, String signingKey) {}

  record Reload(Long intervalMs) {}

  record Limits(Long bodyBytes, Long requestTimeoutMs, Integer maxResources, Integer maxActions, Integer maxPairs,
      Integer cacheTtlSeconds, Integer maxConnections, Long headerTimeoutMs, Long bodyTimeoutMs,
      Long bodiesInFlightBytes) {}

  /** {@code target} is text, or false: YAML 1.1 reads an unquoted {@code off} as a boolean. */
  record DecisionLog(Object target, String file, Integer queueSize) {}

  record Auth(List<Key> apiKeys, List<Certificate> clientCertificates) {}

  record Key(String name, String hash, List<String> scopes) {}

  record Certificate(String subject, String name, List<String> scopes) {}

  record Tls(String cert, String key, String clientCa) {}

  /** The settings of {@code dev.verdict.server.auth.JwtConfig}; durations as text ({@code 60s}, {@code 5m}). */
  record Jwt(String jwksFile, String jwksUrl, String issuer, List<String> audiences, List<String> algorithms,
      String maxClockSkew, Boolean requireIssuedAt, List<String> acceptedTypes, Boolean typeRequired,
      String rolesClaim, Map<String, String> attributeClaims, Map<String, String> contextClaims,
      String principalType, String cacheMaxTtl, Long cacheMaxBytes, String jwksCacheTtl, String jwksRefreshAhead,
      String jwksRateLimit, String jwksOutageTolerance, String jwksConnectTimeout, String jwksReadTimeout,
      Integer jwksMaxBytes, Boolean jwksAllowHttp) {}

  record Gateway(Boolean trustForwardedFor) {}
}

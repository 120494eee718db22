package dev.verdict.server.boot;

import java.util.List;

/**
 * The YAML configuration file's shape, member for member (kebab-case keys). Every member may be
 * left out; unknown members and wrong types are errors naming the key and line.
 */
record ConfigFile(String host, Integer port, String policies, String publicUrl, Integer eventLoops,
    Reload reload, Limits limits, Long shutdownGraceMs, DecisionLog decisionLog, Auth auth, Tls tls) {

  record Reload(Long intervalMs) {}

  record Limits(Long bodyBytes, Long requestTimeoutMs, Integer maxResources, Integer maxActions, Integer maxPairs,
      Integer cacheTtlSeconds) {}

  record DecisionLog(String target, String file, Integer queueSize) {}

  record Auth(List<Key> apiKeys, List<Certificate> clientCertificates) {}

  record Key(String name, String hash, List<String> scopes) {}

  record Certificate(String subject, String name, List<String> scopes) {}

  record Tls(String cert, String key, String clientCa) {}
}

package dev.verdict.server.boot;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.CertificateCaller;
import dev.verdict.server.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import dev.verdict.server.cluster.ClusterSettings;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the {@link ServerConfig} from, in increasing precedence: defaults, the YAML file,
 * environment variables ({@code VERDICT_…}), command-line flags. Each setting has one name,
 * spelt {@code body-limit} in flags ({@code --body-limit}), {@code VERDICT_BODY_LIMIT} in the
 * environment, and at its place in the file ({@code limits.body-bytes}). Every problem is
 * reported with where the value came from.
 */
public final class ConfigLoader {
  /** The settings flags and environment variables can set, and their place in the file. */
  static final Map<String, String> SETTINGS = declare();

  private static Map<String, String> declare() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("host", "host");
    m.put("port", "port");
    m.put("policies", "policies");
    m.put("public-url", "public-url");
    m.put("event-loops", "event-loops");
    m.put("transport", "transport");
    m.put("reload-interval-ms", "reload.interval-ms");
    m.put("body-limit", "limits.body-bytes");
    m.put("request-timeout-ms", "limits.request-timeout-ms");
    m.put("max-resources", "limits.max-resources");
    m.put("max-actions", "limits.max-actions");
    m.put("max-pairs", "limits.max-pairs");
    m.put("cache-ttl-seconds", "limits.cache-ttl-seconds");
    m.put("max-connections", "limits.max-connections");
    m.put("header-timeout-ms", "limits.header-timeout-ms");
    m.put("body-timeout-ms", "limits.body-timeout-ms");
    m.put("bodies-in-flight-bytes", "limits.bodies-in-flight-bytes");
    m.put("shutdown-grace-ms", "shutdown-grace-ms");
    m.put("decision-log", "decision-log.target");
    m.put("decision-log-file", "decision-log.file");
    m.put("decision-log-queue", "decision-log.queue-size");
    m.put("api-keys", "auth.api-keys");
    m.put("tls-cert", "tls.cert");
    m.put("tls-key", "tls.key");
    m.put("tls-client-ca", "tls.client-ca");
    m.put("jwks-file", "jwt.jwks-file");
    m.put("jwks-url", "jwt.jwks-url");
    m.put("jwt-issuer", "jwt.issuer");
    m.put("jwt-audience", "jwt.audiences");
    m.put("trust-forwarded-for", "gateway.trust-forwarded-for");
    m.put("cluster-name", "cluster.name");
    m.put("cluster-members", "cluster.members");
    m.put("cluster-port", "cluster.port");
    m.put("cluster-interface", "cluster.interface");
    m.put("cluster-kubernetes-service", "cluster.kubernetes-service");
    m.put("cluster-join-wait-seconds", "cluster.join-wait-seconds");
    m.put("cluster-heartbeat-seconds", "cluster.heartbeat-seconds");
    m.put("cluster-heartbeat-timeout-seconds", "cluster.heartbeat-timeout-seconds");
    m.put("cluster-lease", "cluster.lease");
    m.put("cluster-budget-timeout-ms", "cluster.budget-timeout-ms");
    m.put("decision-cache", "decision-cache");
    m.put("management-port", "management.port");
    m.put("bundle-keys", "bundles.trusted-keys");
    m.put("bundle-signing-key", "bundles.signing-key");
    return Map.copyOf(m);
  }

  /** A value with where it came from, for messages. */
  private record Setting(Object value, String origin) {}

  private final Map<String, Setting> values = new LinkedHashMap<>();

  private ConfigLoader() {}

  /** Each setting's name (flag spelling) and its place in the YAML file. */
  public static Map<String, String> settings() {
    return SETTINGS;
  }

  public static String envName(String setting) {
    return "VERDICT_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * @param flags settings given on the command line (name to text), already without defaults
   * @param env the process environment
   * @param file the YAML file, if one is given
   */
  public static ServerConfig load(Map<String, String> flags, Map<String, String> env, Optional<Path> file)
      throws ConfigException {
    ConfigLoader l = new ConfigLoader();
    if (file.isPresent()) {
      l.applyFile(file.get());
    }
    for (String s : SETTINGS.keySet()) {
      String v = env.get(envName(s));
      if (v != null && !v.isEmpty()) {
        l.values.put(s, new Setting(v, "environment variable " + envName(s)));
      }
    }
    flags.forEach((k, v) -> {
      if (v != null) {
        l.values.put(k, new Setting(v, "flag --" + k));
      }
    });
    return l.build();
  }

  private void applyFile(Path path) throws ConfigException {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("the configuration file `" + path + "` does not exist");
    }
    ConfigFile f;
    try {
      if (Files.size(path) > 1024 * 1024) {
        throw new ConfigException("the configuration file `" + path + "` is larger than 1 MiB");
      }
      f = yaml().readValue(path.toFile(), ConfigFile.class);
    } catch (UnrecognizedPropertyException e) {
      TreeSet<String> known = new TreeSet<>();
      e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      throw new ConfigException("unknown key `" + keyPath(e) + "` in `" + path + "`" + lineOf(path, keyPath(e))
          + "; known keys here: " + String.join(", ", known));
    } catch (JsonMappingException e) {
      String key = keyPath(e);
      throw new ConfigException((key.isEmpty() ? "the configuration" : "`" + key + "`") + " in `" + path + "`"
          + lineOf(path, key) + " has the wrong type: " + expected(e));
    } catch (JsonProcessingException e) {
      throw new ConfigException("`" + path + "` is not valid YAML" + line(e.getLocation()) + ": "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ConfigException("the configuration file `" + path + "` cannot be read: " + e.getMessage());
    }
    if (f == null) {
      return;
    }
    String o = "`" + path + "`";
    put("host", f.host(), o);
    put("port", f.port(), o);
    put("policies", f.policies(), o);
    put("public-url", f.publicUrl(), o);
    put("event-loops", f.eventLoops(), o);
    put("transport", f.transport(), o);
    put("shutdown-grace-ms", f.shutdownGraceMs(), o);
    if (f.reload() != null) {
      put("reload-interval-ms", f.reload().intervalMs(), o);
    }
    if (f.limits() != null) {
      put("body-limit", f.limits().bodyBytes(), o);
      put("request-timeout-ms", f.limits().requestTimeoutMs(), o);
      put("max-resources", f.limits().maxResources(), o);
      put("max-actions", f.limits().maxActions(), o);
      put("max-pairs", f.limits().maxPairs(), o);
      put("cache-ttl-seconds", f.limits().cacheTtlSeconds(), o);
      put("max-connections", f.limits().maxConnections(), o);
      put("header-timeout-ms", f.limits().headerTimeoutMs(), o);
      put("body-timeout-ms", f.limits().bodyTimeoutMs(), o);
      put("bodies-in-flight-bytes", f.limits().bodiesInFlightBytes(), o);
    }
    if (f.decisionLog() != null) {
      put("decision-log", logTarget(f.decisionLog().target()), o);
      put("decision-log-file", f.decisionLog().file(), o);
      put("decision-log-queue", f.decisionLog().queueSize(), o);
    }
    if (f.tls() != null) {
      put("tls-cert", f.tls().cert(), o);
      put("tls-key", f.tls().key(), o);
      put("tls-client-ca", f.tls().clientCa(), o);
    }
    if (f.auth() != null) {
      put("api-keys", f.auth().apiKeys(), o);
      put("client-certificates", f.auth().clientCertificates(), o);
    }
    if (f.jwt() != null) {
      put("jwt", f.jwt(), o);
      put("jwks-file", f.jwt().jwksFile(), o);
      put("jwks-url", f.jwt().jwksUrl(), o);
      put("jwt-issuer", f.jwt().issuer(), o);
      put("jwt-audience", f.jwt().audiences(), o);
    }
    if (f.gateway() != null) {
      put("trust-forwarded-for", f.gateway().trustForwardedFor(), o);
    }
    if (f.cluster() != null) {
      put("cluster-name", f.cluster().name(), o);
      put("cluster-members", f.cluster().members(), o);
      put("cluster-port", f.cluster().port(), o);
      put("cluster-interface", f.cluster().iface(), o);
      put("cluster-kubernetes-service", f.cluster().kubernetesService(), o);
      put("cluster-join-wait-seconds", f.cluster().joinWaitSeconds(), o);
      put("cluster-heartbeat-seconds", f.cluster().heartbeatSeconds(), o);
      put("cluster-heartbeat-timeout-seconds", f.cluster().heartbeatTimeoutSeconds(), o);
      put("cluster-lease", f.cluster().lease(), o);
      put("cluster-budget-timeout-ms", f.cluster().budgetTimeoutMs(), o);
    }
    put("decision-cache", f.decisionCache(), o);
    if (f.management() != null) {
      put("management-port", f.management().port(), o);
    }
    if (f.bundles() != null) {
      put("bundle-keys", f.bundles().trustedKeys(), o);
      put("bundle-signing-key", f.bundles().signingKey(), o);
    }
  }

  /**
   * YAML 1.1 reads an unquoted {@code off} as the boolean false; {@code decision-log.target: off}
   * means the word, so false is taken as {@code off} (true stays an error: it names no target).
   */
  private static Object logTarget(Object target) {
    return Boolean.FALSE.equals(target) ? "off" : target;
  }

  private void put(String key, Object value, String origin) {
    if (value != null) {
      values.put(key, new Setting(value, origin));
    }
  }

  private static ObjectMapper yaml() {
    ObjectMapper m = JsonMapper.builder(new YAMLFactory())
        .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    return m;
  }

  private static String keyPath(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /**
   * The line of a key, found by a second, streaming read: records are bound only once their
   * whole mapping has been read, so the binder's own location is the mapping's end.
   */
  private static String lineOf(Path file, String keyPath) {
    try (com.fasterxml.jackson.core.JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      for (var t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && contextPath(p.getParsingContext()).equals(keyPath)) {
          return line(p.currentTokenLocation());
        }
      }
    } catch (IOException e) {
      // The file was readable a moment ago; without a line the message still names the key.
    }
    return "";
  }

  /** The same form as {@link #keyPath}: {@code auth.api-keys[0].name}. */
  private static String contextPath(com.fasterxml.jackson.core.JsonStreamContext ctx) {
    java.util.Deque<Object> parts = new java.util.ArrayDeque<>();
    for (var c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.push(Math.max(0, c.getCurrentIndex()));
      } else if (c.getCurrentName() != null) {
        parts.push(c.getCurrentName());
      }
    }
    StringBuilder b = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof Integer i) {
        b.append('[').append(i).append(']');
      } else {
        b.append(b.length() == 0 ? "" : ".").append(part);
      }
    }
    return b.toString();
  }

  private static String line(JsonLocation loc) {
    return loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr();
  }

  /** The expected type in words; the library's message names Java types. */
  private static String expected(JsonMappingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
      Class<?> t = m.getTargetType();
      if (t == Integer.class || t == Long.class || t == int.class || t == long.class) {
        return "expected a whole number";
      } else if (t == String.class) {
        return "expected text";
      } else if (List.class.isAssignableFrom(t)) {
        return "expected a list";
      }
      return "expected a mapping of keys";
    }
    return "this value does not fit here";
  }

  private ServerConfig build() throws ConfigException {
    ServerConfig d = ServerConfig.defaults(Path.of(ServerConfig.DEFAULT_POLICIES), ServerConfig.DEFAULT_PORT);
    String host = text("host", d.host());
    if (host.isBlank()) {
      throw error("host", "must not be empty");
    }
    int port = (int) number("port", d.port(), 0, 65_535);
    Path policies = Path.of(text("policies", d.policies().toString()));
    Optional<String> publicUrl = Optional.ofNullable(values.containsKey("public-url") ? text("public-url", null) : null);
    if (publicUrl.isPresent()) {
      publicUrl = Optional.of(publicUrl(publicUrl.get()));
    }
    int eventLoops = (int) number("event-loops", d.eventLoops(), 1, 256);
    IoTransport transport = transport(d.transport());
    long reload = number("reload-interval-ms", d.reloadIntervalMillis(), 0, 86_400_000L);
    if (reload > 0 && reload < 100) {
      throw error("reload-interval-ms", "must be 0 (off) or at least 100, not " + reload);
    }
    long body = number("body-limit", d.bodyLimitBytes(), 1024, 64L * 1024 * 1024);
    long timeout = number("request-timeout-ms", d.requestTimeoutMillis(), 100, 600_000);
    int maxResources = (int) number("max-resources", d.maxResources(), 1, 10_000);
    int maxActions = (int) number("max-actions", d.maxActions(), 1, 1_000);
    int maxPairs = (int) number("max-pairs", d.maxPairs(), 1, 100_000);
    int ttl = (int) number("cache-ttl-seconds", d.cacheTtlSeconds(), 0, 86_400);
    long grace = number("shutdown-grace-ms", d.shutdownGraceMillis(), 0, 600_000);
    int queue = (int) number("decision-log-queue", d.decisionLogQueue(), 1, 10_000_000);
    ServerConfig.DecisionLogTarget log = decisionLog();
    Optional<ServerConfig.Tls> tls = tls();
    List<ApiKey> keys = apiKeys();
    List<CertificateCaller> certs = certificates();
    if (!certs.isEmpty() && (tls.isEmpty() || tls.get().clientCa().isEmpty())) {
      throw error("client-certificates", "needs TLS with a client CA (`tls.client-ca`) to check certificates against");
    }
    Optional<dev.verdict.server.auth.JwtConfig> jwt = JwtSettings.read(this::text, this::error,
        values.containsKey("jwt") ? (ConfigFile.Jwt) values.get("jwt").value() : null, audiences(),
        origin("jwt"));
    boolean trustForwarded = flag("trust-forwarded-for");
    ServerConfig.Connections c = d.connections();
    ServerConfig.Connections connections = new ServerConfig.Connections(
        (int) number("max-connections", c.maxConnections(), 16, 1_000_000),
        number("header-timeout-ms", c.headerTimeoutMillis(), 100, 600_000),
        number("body-timeout-ms", c.bodyTimeoutMillis(), 100, 600_000),
        number("bodies-in-flight-bytes", c.bodiesInFlightBytes(), body, 16L * 1024 * 1024 * 1024));
    Optional<ClusterSettings> cluster = cluster();
    ServerConfig.DecisionCacheMode cache = decisionCache(cluster.isPresent());
    OptionalInt management = values.containsKey("management-port")
        ? OptionalInt.of((int) number("management-port", 0, 0, 65_535)) : OptionalInt.empty();
    if (management.isPresent() && management.getAsInt() != 0 && management.getAsInt() == port) {
      throw error("management-port", "must differ from `port` (" + port + "): the management listener is a "
          + "second listener without client authentication");
    }
    Optional<Path> bundleKeys = Optional.ofNullable(text("bundle-keys", null)).map(Path::of);
    if (bundleKeys.isPresent() && !Files.isRegularFile(bundleKeys.get())) {
      throw error("bundle-keys", "names `" + bundleKeys.get() + "`, which does not exist; give a JWKS file of the "
          + "public keys bundles are signed with");
    }
    Optional<Path> signingKey = Optional.ofNullable(text("bundle-signing-key", null)).map(Path::of);
    if (signingKey.isPresent() && !Files.isRegularFile(signingKey.get())) {
      throw error("bundle-signing-key", "names `" + signingKey.get() + "`, which does not exist; give the private "
          + "JWK bundles are signed with (made by `verdict bundle keygen`)");
    }
    if (signingKey.isPresent() && bundleKeys.isEmpty()) {
      throw error("bundle-signing-key", "is set without `bundle-keys`; give the trusted public keys too (the "
          + "signing key's public half among them)");
    }
    return new ServerConfig(host, port, policies, publicUrl, reload, body, timeout, maxResources, maxActions,
        maxPairs, ttl, grace, log, queue, keys, certs, tls, eventLoops, jwt, trustForwarded, connections, cluster,
        cache, management, bundleKeys, signingKey, transport);
  }

  /**
   * A cluster needs a name and a way to find members (a member list or a Kubernetes service);
   * the other cluster settings alone are a mistake, not a request to run alone.
   */
  private Optional<ClusterSettings> cluster() throws ConfigException {
    String name = text("cluster-name", null);
    List<String> members = list("cluster-members");
    String service = text("cluster-kubernetes-service", null);
    if (name == null) {
      for (String k : List.of("cluster-members", "cluster-port", "cluster-interface", "cluster-kubernetes-service",
          "cluster-join-wait-seconds", "cluster-heartbeat-seconds", "cluster-heartbeat-timeout-seconds",
          "cluster-lease", "cluster-budget-timeout-ms")) {
        if (values.containsKey(k)) {
          throw error(k, "needs `cluster-name` as well: members join the cluster of that name");
        }
      }
      return Optional.empty();
    }
    if (name.isBlank() || !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw error("cluster-name", "must be 1 to 64 letters, digits, `.`, `_` or `-`, not `" + name + "`");
    }
    if (members.isEmpty() && service == null) {
      throw error("cluster-name", "needs `cluster-members` (host:port,…) or `cluster-kubernetes-service` to find "
          + "the other members");
    }
    if (!members.isEmpty() && service != null) {
      throw error("cluster-kubernetes-service", "and `cluster-members` both name members; give one of them");
    }
    int clusterPort = (int) number("cluster-port", ClusterSettings.DEFAULT_PORT, 1, 65_535);
    String iface = text("cluster-interface", ClusterSettings.DEFAULT_INTERFACE);
    int joinWait = (int) number("cluster-join-wait-seconds", 2, 0, 300);
    int heartbeat = (int) number("cluster-heartbeat-seconds", 5, 1, 300);
    int heartbeatTimeout = (int) number("cluster-heartbeat-timeout-seconds", 30, 2, 3_600);
    if (heartbeatTimeout <= heartbeat) {
      throw error("cluster-heartbeat-timeout-seconds", "must be longer than `cluster-heartbeat-seconds` ("
          + heartbeat + ")");
    }
    int lease = (int) number("cluster-lease", 0, 0, 1_000);
    if (lease == 1) {
      throw error("cluster-lease", "must be 0 (no leases) or 2 to 1000 tokens: a lease of one token saves no round trip");
    }
    long budgetTimeout = number("cluster-budget-timeout-ms", ClusterSettings.DEFAULT_BUDGET_TIMEOUT.toMillis(),
        ClusterSettings.MIN_BUDGET_TIMEOUT.toMillis(), ClusterSettings.MAX_BUDGET_TIMEOUT.toMillis());
    try {
      return Optional.of(new ClusterSettings(name, members, clusterPort, iface, Optional.ofNullable(service),
          joinWait, heartbeat, heartbeatTimeout, 32, lease, java.time.Duration.ofMillis(budgetTimeout)));
    } catch (IllegalArgumentException e) {
      throw error(members.isEmpty() ? "cluster-kubernetes-service" : "cluster-members", e.getMessage());
    }
  }

  private IoTransport transport(IoTransport byDefault) throws ConfigException {
    String word = text("transport", byDefault.word()).toLowerCase(Locale.ROOT);
    for (IoTransport t : IoTransport.values()) {
      if (t.word().equals(word)) {
        return t;
      }
    }
    throw error("transport", "must be `auto`, `io_uring` or `nio`, not `" + word + "`");
  }

  /** Without a cluster there is nothing to share: {@code cluster} and {@code auto} need one. */
  private ServerConfig.DecisionCacheMode decisionCache(boolean clustered) throws ConfigException {
    String word = text("decision-cache", clustered ? "auto" : "local").toLowerCase(Locale.ROOT);
    ServerConfig.DecisionCacheMode mode;
    try {
      mode = ServerConfig.DecisionCacheMode.valueOf(word.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw error("decision-cache", "must be `off`, `local`, `cluster` or `auto`, not `" + word + "`");
    }
    if (!clustered && (mode == ServerConfig.DecisionCacheMode.CLUSTER)) {
      throw error("decision-cache", "is `cluster` but no cluster is configured (`cluster-name`); use `local` or "
          + "`off`");
    }
    return mode;
  }

  /** From the file a list; from a flag or the environment, comma-separated. */
  private List<String> list(String key) throws ConfigException {
    Setting s = values.get(key);
    if (s == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (s.value() instanceof List<?> items) {
      for (Object o : items) {
        out.add(String.valueOf(o).trim());
      }
    } else if (s.value() instanceof String str) {
      for (String part : str.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    } else {
      throw error(key, "must be a list of text");
    }
    return out;
  }

  private String origin(String key) {
    Setting s = values.get(key);
    return s == null ? "" : s.origin();
  }

  /** From the file a list; from a flag or the environment, comma-separated. */
  private List<String> audiences() throws ConfigException {
    Setting s = values.get("jwt-audience");
    if (s == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (s.value() instanceof List<?> list) {
      for (Object o : list) {
        out.add(String.valueOf(o).trim());
      }
    } else {
      for (String a : String.valueOf(s.value()).split(",")) {
        if (!a.isBlank()) {
          out.add(a.trim());
        }
      }
    }
    return out;
  }

  private boolean flag(String key) throws ConfigException {
    Setting s = values.get(key);
    if (s == null) {
      return false;
    }
    if (s.value() instanceof Boolean b) {
      return b;
    }
    String v = String.valueOf(s.value()).trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw error(key, "must be `true` or `false`, not `" + s.value() + "`");
  }

  ConfigException error(String key, String message) {
    Setting s = values.get(key);
    String where = s == null ? "" : " (from " + s.origin() + ")";
    return new ConfigException("`" + key + "` " + message + where);
  }

  String text(String key, String dflt) throws ConfigException {
    Setting s = values.get(key);
    if (s == null) {
      return dflt;
    }
    if (!(s.value() instanceof String str)) {
      throw error(key, "must be text");
    }
    return str.trim();
  }

  private long number(String key, long dflt, long min, long max) throws ConfigException {
    Setting s = values.get(key);
    if (s == null) {
      return dflt;
    }
    long v;
    if (s.value() instanceof Number n) {
      v = n.longValue();
    } else {
      try {
        v = Long.parseLong(String.valueOf(s.value()).trim().replace("_", ""));
      } catch (NumberFormatException e) {
        throw error(key, "must be a whole number, not `" + s.value() + "`");
      }
    }
    if (v < min || v > max) {
      throw error(key, "must be between " + min + " and " + max + ", not " + v);
    }
    return v;
  }

  private String publicUrl(String url) throws ConfigException {
    try {
      URI u = new URI(url);
      if (u.getScheme() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http"))
          || u.getHost() == null || u.getQuery() != null || u.getFragment() != null) {
        throw error("public-url", "must be an http(s) URL without query or fragment, such as https://pdp.example.com");
      }
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    } catch (URISyntaxException e) {
      throw error("public-url", "is not a URL: " + e.getReason());
    }
  }

  private ServerConfig.DecisionLogTarget decisionLog() throws ConfigException {
    String target = text("decision-log", "stdout").toLowerCase(Locale.ROOT);
    Optional<Path> file = Optional.ofNullable(text("decision-log-file", null)).map(Path::of);
    switch (target) {
      case "stdout":
        return ServerConfig.DecisionLogTarget.STDOUT;
      case "off":
        return ServerConfig.DecisionLogTarget.OFF;
      case "file":
        if (file.isEmpty()) {
          throw error("decision-log", "is `file` but `decision-log-file` names no file");
        }
        return new ServerConfig.DecisionLogTarget(ServerConfig.DecisionLogTarget.Kind.FILE, file);
      default:
        throw error("decision-log", "must be `stdout`, `file` or `off`, not `" + target + "`");
    }
  }

  private Optional<ServerConfig.Tls> tls() throws ConfigException {
    String cert = text("tls-cert", null);
    String key = text("tls-key", null);
    String ca = text("tls-client-ca", null);
    if (cert == null && key == null) {
      if (ca != null) {
        throw error("tls-client-ca", "needs `tls-cert` and `tls-key` as well");
      }
      return Optional.empty();
    }
    if (cert == null || key == null) {
      throw error(cert == null ? "tls-key" : "tls-cert", "needs `" + (cert == null ? "tls-cert" : "tls-key")
          + "` as well: TLS takes a PEM certificate and its PEM key");
    }
    for (String[] f : new String[][] {{"tls-cert", cert}, {"tls-key", key}, {"tls-client-ca", ca}}) {
      if (f[1] != null && !Files.isRegularFile(Path.of(f[1]))) {
        throw error(f[0], "names `" + f[1] + "`, which does not exist");
      }
    }
    return Optional.of(new ServerConfig.Tls(Path.of(cert), Path.of(key), Optional.ofNullable(ca).map(Path::of)));
  }

  /** From the file, a list of entries; from flags or the environment, {@code name=scope+scope=sha256:…,…}. */
  private List<ApiKey> apiKeys() throws ConfigException {
    Setting s = values.get("api-keys");
    if (s == null) {
      return List.of();
    }
    List<ApiKey> out = new ArrayList<>();
    if (s.value() instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        ConfigFile.Key k = (ConfigFile.Key) list.get(i);
        String at = "auth.api-keys[" + i + "]";
        out.add(key(at, k.name(), k.hash(), k.scopes()));
      }
    } else {
      for (String entry : String.valueOf(s.value()).split(",")) {
        String[] parts = entry.trim().split("=", 3);
        if (parts.length != 3) {
          throw error("api-keys", "entries are `name=scope+scope=sha256:<hex>`, separated by commas");
        }
        out.add(key("api-keys", parts[0], parts[2], List.of(parts[1].split("\\+"))));
      }
    }
    Set<String> names = new TreeSet<>();
    for (ApiKey k : out) {
      if (!names.add(k.name())) {
        throw error("api-keys", "name `" + k.name() + "` twice; each key needs its own name for the log");
      }
    }
    return out;
  }

  private ApiKey key(String at, String name, String hash, List<String> scopes) throws ConfigException {
    if (name == null || name.isBlank()) {
      throw error("api-keys", "entry `" + at + "` has no `name`");
    }
    Optional<byte[]> digest = ApiKeys.parseHash(hash);
    if (digest.isEmpty()) {
      throw error("api-keys", "entry `" + name + "` needs `hash: sha256:<64 hex digits>`; `verdict hash-key` makes one");
    }
    return new ApiKey(name, digest.get(), scopes("api-keys", name, scopes));
  }

  private Set<Scope> scopes(String key, String name, List<String> words) throws ConfigException {
    if (words == null || words.isEmpty()) {
      throw error(key, "entry `" + name + "` needs `scopes`: `decide`, `admin` or both");
    }
    Set<Scope> out = EnumSet.noneOf(Scope.class);
    for (String w : words) {
      out.add(Scope.parse(w.trim()).orElseThrow(() -> error(key, "entry `" + name + "` has unknown scope `" + w
          + "`; scopes are `decide`, `data` and `admin`")));
    }
    return out;
  }

  private List<CertificateCaller> certificates() throws ConfigException {
    Setting s = values.get("client-certificates");
    if (s == null) {
      return List.of();
    }
    List<CertificateCaller> out = new ArrayList<>();
    for (Object o : (List<?>) s.value()) {
      ConfigFile.Certificate c = (ConfigFile.Certificate) o;
      if (c.subject() == null || c.name() == null) {
        throw error("client-certificates", "entries need `subject` and `name`");
      }
      out.add(new CertificateCaller(c.subject(), c.name(), scopes("client-certificates", c.name(), c.scopes())));
    }
    return out;
  }
}

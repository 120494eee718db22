package dev.verdict.server.boot;

import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import com.hazelcast.core.HazelcastInstance;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.verdict.engine.DecisionCache;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.InMemoryBudgetStore;
import dev.verdict.server.cluster.AutoDecisionCache;
import dev.verdict.server.cluster.ClusterBudgetStore;
import dev.verdict.server.cluster.ClusterDecisionCache;
import dev.verdict.server.cluster.ClusterEndpoint;
import dev.verdict.server.cluster.ClusterMetrics;
import dev.verdict.server.cluster.ClusterNode;
import dev.verdict.server.cluster.ClusterPolicyService;
import dev.verdict.server.cluster.ClusterSettings;
import dev.verdict.server.cluster.TieredDecisionCache;
import dev.verdict.server.decision.DecisionRecorder;
import dev.verdict.server.auth.AccessGuard;
import dev.verdict.server.auth.Authenticator;
import dev.verdict.server.auth.JwksStatus;
import dev.verdict.server.auth.JwtVerifier;
import dev.verdict.server.decision.DecisionService;
import dev.verdict.server.gateway.GatewayCheckHandler;
import dev.verdict.server.http.ApiRouter;
import dev.verdict.server.http.ConnectionGuard;
import dev.verdict.server.http.InvalidRequests;
import dev.verdict.server.http.GatewayHandler;
import dev.verdict.server.http.v1.AuthZenHandlers;
import dev.verdict.server.http.v1.DecisionsHandler;
import dev.verdict.server.log.DecisionLog;
import dev.verdict.server.metrics.ServerMetrics;
import dev.verdict.server.policy.PolicySnapshot;
import dev.verdict.server.policy.PolicyStore;
import dev.verdict.server.policy.PolicyWatcher;
import dev.verdict.server.policy.ReloadOutcome;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.io.IOException;
import java.io.OutputStream;
import dev.verdict.server.log.OperationalLog;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A running PDP: the policy store and its watcher, the decision service, the HTTP servers (one
 * per event loop), the decision log and the metrics. {@link #start} refuses to start rather
 * than serve without a policy set or without credentials on a non-loopback address.
 */
public final class VerdictServer {
  /** Closes connections with no traffic at all; also the deadline for a kept-alive connection's next request. */
  private static final int IDLE_TIMEOUT_SECONDS = 120;
  /** The cluster's budgets, with leases for hot keys when {@code cluster-lease} asks for them. */
  private static BudgetStore leased(ClusterBudgetStore shared, ServerConfig config) {
    int tokens = config.cluster().orElseThrow().leaseTokens();
    return tokens == 0 ? shared : new dev.verdict.server.cluster.LeasingBudgetStore(shared, tokens);
  }

  /** A shared decision that takes longer than this is computed here instead. */
  private static final long SHARED_DECISION_TIMEOUT_MILLIS = 20;
  /** How long a member that joined may take to answer its first budget round trips. */
  private static final Duration WARM_UP = Duration.ofSeconds(60);
  private static final long LOCAL_DECISION_CACHE_BYTES = 32L * 1024 * 1024;
  /** How often a member publishes its policy version again (the shared map may lose an update). */
  private static final long STATUS_INTERVAL_MILLIS = 2_000;

  private final ServerConfig config;
  private final Vertx vertx;
  private final PolicyStore store;
  private final PolicyWatcher watcher;
  private final DecisionLog log;
  private final ServerMetrics metrics;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger port = new AtomicInteger();
  /** Operational lines (reloads, key refreshes, shutdown), on stderr in production. */
  private final System.Logger err;
  private final Optional<JwtVerifier> jwt;
  private final Optional<HazelcastInstance> member;
  private Optional<ManagementListener> management = Optional.empty();
  private final ClusterPolicyService policies;
  private final dev.verdict.server.entities.EntityStore entities;
  private final String transport;

  private VerdictServer(ServerConfig config, Vertx vertx, PolicyStore store, PolicyWatcher watcher, DecisionLog log,
      ServerMetrics metrics, System.Logger err, Optional<JwtVerifier> jwt, Optional<HazelcastInstance> member,
      ClusterPolicyService policies, dev.verdict.server.entities.EntityStore entities, String transport) {
    this.transport = transport;
    this.entities = entities;
    this.member = member;
    this.policies = policies;
    this.config = config;
    this.vertx = vertx;
    this.store = store;
    this.watcher = watcher;
    this.log = log;
    this.metrics = metrics;
    this.err = err;
    this.jwt = jwt;
  }

  public static VerdictServer start(ServerConfig config, Optional<GatewayHandler> gateway, PrintStream err)
      throws StartupException {
    return start(config, gateway, err, o -> { });
  }

  /**
   * @param errStream where the server's operational lines go ({@link OperationalLog})
   * @param tuning adjusts the Vert.x options (tests lower the blocked-thread thresholds)
   */
  public static VerdictServer start(ServerConfig config, Optional<GatewayHandler> gateway, PrintStream errStream,
      Consumer<VertxOptions> tuning) throws StartupException {
    StartWarmUp.await();
    System.Logger err = new OperationalLog(errStream);
    if (!config.credentialsConfigured() && !Loopback.is(config.host())) {
      throw new StartupException("refusing to listen on `" + config.host() + "` without credentials: configure API "
          + "keys (`verdict hash-key`) or client certificates, or listen on 127.0.0.1", 2);
    }
    if (!Files.isDirectory(config.policies())) {
      throw new StartupException("the policy directory `" + config.policies() + "` does not exist; "
          + "give one with --policies or VERDICT_POLICIES", 2);
    }
    PrometheusMeterRegistry registry = ServerMetrics.newRegistry();
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(config.eventLoops())
        .setMetricsOptions(ServerMetrics.vertxOptions());
    tuning.accept(options);
    // Vert.x, Netty and the JVM metrics start on their own thread while this one reads, checks and
    // compiles the policy set: the two largest shares of the start-up, independent until the
    // watcher is made (docs/benchmarks.md, "Start-up and memory").
    CompletableFuture<Vertx> starting = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicReference<TransportChoice> transport = new java.util.concurrent.atomic.AtomicReference<>();
    Thread vertxStart = new Thread(() -> {
      try {
        TransportChoice.Started started = TransportChoice.start(config.transport(), t -> vertx(options, registry, t));
        Vertx built = started.vertx();
        transport.set(started.transport());
        // The first request would otherwise make the HTTP API's JSON mapper (Jackson's set-up);
        // already done when `serve`'s warm-up ran (StartWarmUp).
        initialize(dev.verdict.server.http.JsonCodec.class);
        starting.complete(built);
      } catch (Throwable e) {
        starting.completeExceptionally(e);
      }
    }, "verdict-start-vertx");
    vertxStart.start();
    ServerMetrics metrics = new ServerMetrics(registry);
    DecisionLog log;
    try {
      log = decisionLog(config, metrics, err);
    } catch (IOException e) {
      closeQuietly(starting);
      throw new StartupException("the decision log file cannot be opened: " + e.getMessage(), 2);
    }
    Optional<HazelcastInstance> member;
    try {
      member = config.cluster().map(ClusterNode::start);
    } catch (RuntimeException e) {
      closeQuietly(starting);
      log.close(1_000);
      ClusterSettings c = config.cluster().orElseThrow();
      throw new StartupException("cannot start the cluster member on " + c.interfaceAddress() + ":" + c.port()
          + ": " + reason(e), 2);
    }
    ClusterMetrics clusterMetrics = new ClusterMetrics(registry);
    Optional<ClusterBudgetStore> shared = member.map(hz -> new ClusterBudgetStore(hz,
        config.cluster().orElseThrow().budgetTimeout(), clusterMetrics::budgetAnswered, clusterMetrics::budgetTimedOut));
    if (shared.isPresent()) {
      clusterMetrics.watch(member.get(), registry);
      // Answers within the budget timeout from the first request on, or does not listen at all.
      if (!shared.get().warmUp(WARM_UP)) {
        closeQuietly(starting);
        member.get().shutdown();
        log.close(1_000);
        throw new StartupException("the cluster did not answer rate budgets within " + WARM_UP.toSeconds()
            + " s of joining; check that the members can reach each other's cluster port", 2);
      }
    }
    long entityBytes;
    try {
      entityBytes = dev.verdict.server.entities.EntityStores.maxBytes();
    } catch (IllegalArgumentException e) {
      closeQuietly(starting);
      member.ifPresent(HazelcastInstance::shutdown);
      log.close(1_000);
      throw new StartupException(e.getMessage(), 2);
    }
    java.util.concurrent.atomic.AtomicReference<Engine> served = new java.util.concurrent.atomic.AtomicReference<>();
    dev.verdict.server.entities.EntityStore entities = dev.verdict.server.entities.EntityStores.create(member,
        entityBytes, () -> served.get().active().orElseThrow().set());
    Engine.Builder builder = Engine.builder(PolicySource.directory(config.policies()))
        .entities(entities.source())
        .clock(Clock.systemUTC())
        .budgets(shared.<BudgetStore>map(b -> leased(b, config)).orElseGet(InMemoryBudgetStore::new))
        .listener(new DecisionRecorder(log, metrics));
    decisionCache(config, member, registry).ifPresent(builder::cache);
    Engine engine = builder.buildUnloaded();
    served.set(engine);
    PolicyStore store = new PolicyStore(engine, config.policies(), Clock.systemUTC());
    store.onReload(r -> reported(r, store, metrics, err));
    PolicyWatcher.FirstLoad loaded = PolicyWatcher.loadFirst(store);
    ReloadOutcome first = loaded.outcome();
    Vertx vertx;
    try {
      vertx = starting.join();
    } catch (CompletionException e) {
      member.ifPresent(HazelcastInstance::shutdown);
      log.close(1_000);
      throw new StartupException("cannot start Vert.x: " + reason(e), 2);
    }
    TransportChoice chosen = transport.get();
    chosen.fallback().ifPresent(why -> err.log(Level.WARNING, "io_uring is not available (" + why + "); the event "
        + "loops use NIO, which costs more CPU per request (set `transport` to `nio` to choose it and silence this)"));
    metrics.transport(chosen.name());
    PolicyWatcher watcher = new PolicyWatcher(vertx, store, config.reloadIntervalMillis(), loaded);
    if (!first.ok()) {
      closeQuietly(vertx);
      member.ifPresent(HazelcastInstance::shutdown);
      log.close(1_000);
      throw new StartupException(first.rendered() + "error: the policy set in `" + config.policies()
          + "` has errors; the server does not start without a valid set", 1);
    }
    Optional<JwtVerifier> jwt;
    JWKSet bundleKeys;
    Optional<JWK> signingKey;
    try {
      bundleKeys = bundleKeys(config);
      signingKey = signingKey(config, bundleKeys);
      jwt = jwtVerifier(config, watcher, err);
    } catch (StartupException e) {
      closeQuietly(vertx);
      member.ifPresent(HazelcastInstance::shutdown);
      log.close(1_000);
      throw e;
    }
    ClusterPolicyService policies = new ClusterPolicyService(engine, bundleKeys, signingKey, member,
        store::servePushed,
        version -> {
          metrics.serving(store.current().orElseThrow().set());
          err.log(Level.INFO, "serving policy version " + version + " from a pushed bundle");
        }, Math.max(1_000, config.requestTimeoutMillis() * 2 / 5), (pushed, nanos) -> {
          clusterMetrics.bundlePushed(pushed, nanos);
          long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(nanos);
          err.log(pushed.activated() ? Level.INFO : Level.WARNING, pushed.activated()
              ? "bundle push activated " + pushed.version() + " in " + millis + " ms"
              : "bundle push refused in " + millis + " ms: " + pushed.refusals());
        });
    store.onReload(r -> policies.publish(false));
    entities.start();
    VerdictServer server = new VerdictServer(config, vertx, store, watcher, log, metrics, err, jwt, member, policies,
        entities, chosen.name());
    try {
      server.listen(gateway);
    } catch (StartupException e) {
      closeQuietly(vertx);
      member.ifPresent(HazelcastInstance::shutdown);
      log.close(1_000);
      jwt.ifPresent(JwtVerifier::close);
      throw e;
    }
    watcher.start();
    server.followCluster();
    return server;
  }

  /**
   * In a cluster: adopts the cluster's pushed bundle (not ready until done) and keeps this
   * member's published version current. Off the event loop: both talk to the cluster.
   */
  private void followCluster() {
    if (member.isEmpty()) {
      return;
    }
    vertx.executeBlocking(() -> {
      policies.adoptActive();
      return null;
    }, false);
    vertx.setPeriodic(STATUS_INTERVAL_MILLIS, id -> vertx.executeBlocking(() -> {
      policies.publish(draining.get());
      return null;
    }, false));
  }

  /** The public keys pushed bundles must be signed with; none configured means pushing is off. */
  private static JWKSet bundleKeys(ServerConfig config) throws StartupException {
    if (config.bundleKeys().isEmpty()) {
      return new JWKSet();
    }
    Path file = config.bundleKeys().get();
    try {
      JWKSet keys = JWKSet.load(file.toFile()).toPublicJWKSet();
      if (keys.getKeys().isEmpty()) {
        throw new StartupException("the bundle keys file `" + file + "` (`bundles.trusted-keys`) has no keys", 2);
      }
      return keys;
    } catch (IOException | java.text.ParseException e) {
      throw new StartupException("the bundle keys file `" + file + "` (`bundles.trusted-keys`) is not a JWKS file: "
          + e.getMessage(), 2);
    }
  }

  /**
   * The private key this node signs the cluster's bundle with when a link is written over its
   * admin API: one of the trusted keys, or members would refuse what it signs.
   */
  private static Optional<JWK> signingKey(ServerConfig config, JWKSet trusted) throws StartupException {
    if (config.bundleSigningKey().isEmpty()) {
      return Optional.empty();
    }
    Path file = config.bundleSigningKey().get();
    JWK key;
    try {
      key = JWK.parse(java.nio.file.Files.readString(file));
    } catch (IOException | java.text.ParseException e) {
      throw new StartupException("the bundle signing key `" + file + "` (`bundles.signing-key`) is not a JWK: "
          + e.getMessage(), 2);
    }
    if (!key.isPrivate()) {
      throw new StartupException("the bundle signing key `" + file + "` (`bundles.signing-key`) holds a public key; "
          + "give the private one (made by `verdict bundle keygen`)", 2);
    }
    boolean trustedKey = trusted.getKeys().stream().anyMatch(k -> k.toPublicJWK().equals(key.toPublicJWK()));
    if (!trustedKey) {
      throw new StartupException("the bundle signing key `" + file + "` (`bundles.signing-key`) is not among the "
          + "trusted bundle keys (`bundles.trusted-keys`): the members would refuse what it signs", 2);
    }
    return Optional.of(key);
  }

  /**
   * The decision cache the configuration asks for: this process's only, this process's in
   * front of the cluster's shared map, or ({@code auto}) the shared map only where a decision
   * costs more to compute than to fetch.
   */
  private static Optional<DecisionCache> decisionCache(ServerConfig config, Optional<HazelcastInstance> member,
      PrometheusMeterRegistry registry) {
    DecisionCache local = DecisionCache.local(LOCAL_DECISION_CACHE_BYTES);
    switch (config.decisionCache()) {
      case OFF:
        return Optional.empty();
      case CLUSTER:
        DecisionCache shared = new ClusterDecisionCache(member.orElseThrow(), SHARED_DECISION_TIMEOUT_MILLIS);
        ClusterMetrics.cache(registry, "l1", local);
        ClusterMetrics.cache(registry, "l2", shared);
        return Optional.of(new TieredDecisionCache(local, shared));
      case AUTO:
        ClusterMetrics.cache(registry, "l1", local);
        if (member.isEmpty()) {
          return Optional.of(local); // alone, there is nothing to share with
        }
        DecisionCache sharedWhenDear = new ClusterDecisionCache(member.get(), SHARED_DECISION_TIMEOUT_MILLIS);
        ClusterMetrics.cache(registry, "l2", sharedWhenDear);
        return Optional.of(new AutoDecisionCache(local, sharedWhenDear));
      default:
        ClusterMetrics.cache(registry, "l1", local);
        return Optional.of(local);
    }
  }

  private static void reported(ReloadOutcome r, PolicyStore store, ServerMetrics metrics, System.Logger err) {
    metrics.reload(r.ok());
    if (r.ok() && r.changed()) {
      PolicySnapshot s = store.current().orElseThrow();
      metrics.serving(s.set());
      err.log(Level.INFO, "serving policy version " + s.version() + " (" + s.set().ruleCount() + " rules)");
      if (!r.removed().isEmpty()) {
        err.log(Level.WARNING, "this version removed " + r.removed().describe());
      }
    } else if (!r.ok()) {
      err.log(Level.WARNING, "the changed policy set has errors and was refused; still serving "
          + (r.version().isEmpty() ? "nothing" : r.version()) + System.lineSeparator() + r.rendered().stripTrailing());
    }
  }

  /**
   * The bearer-token verifier when JWT is configured, its keys loaded here (the caller's thread,
   * never an event loop). A JWKS file that cannot be used stops the start; a JWKS URL that cannot
   * be fetched only warns, since the identity provider may come back (tokens are refused until
   * it does). {@code POST /v1/policies/reload} reloads the keys too.
   */
  private static Optional<JwtVerifier> jwtVerifier(ServerConfig config, PolicyWatcher watcher, System.Logger err)
      throws StartupException {
    if (config.jwt().isEmpty()) {
      return Optional.empty();
    }
    JwtVerifier verifier = JwtVerifier.create(config.jwt().get());
    JwksStatus status = verifier.warmUp();
    boolean file = config.jwt().get().jwksFile() != null;
    if (!status.available()) {
      if (file) {
        verifier.close();
        throw new StartupException("the JWKS file `" + config.jwt().get().jwksFile() + "` (`jwt.jwks-file`) cannot "
            + "be used: " + status.message(), 2);
      }
      err.log(Level.WARNING, "the JWKS URL (`jwt.jwks-url`) cannot be fetched yet: " + status.message()
          + "; bearer tokens are refused until it can");
    }
    watcher.beforeForcedReload(() -> {
      JwksStatus s = verifier.reload();
      if (s.available()) {
        err.log(Level.INFO, "JWKS reloaded: " + s.message());
      } else {
        err.log(Level.WARNING, "JWKS reload failed, the previous keys stay in use: " + s.message());
      }
    });
    return Optional.of(verifier);
  }

  private static DecisionLog decisionLog(ServerConfig config, ServerMetrics metrics, System.Logger err)
      throws IOException {
    switch (config.decisionLog().kind()) {
      case OFF:
        return DecisionLog.disabled();
      case FILE:
        OutputStream out = Files.newOutputStream(config.decisionLog().file().orElseThrow(),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new DecisionLog(out, true, config.decisionLogQueue(), metrics::decisionLogDropped, err);
      default:
        return new DecisionLog(System.out, false, config.decisionLogQueue(), metrics::decisionLogDropped, err);
    }
  }

  private void listen(Optional<GatewayHandler> given) throws StartupException {
    Authenticator authenticator = new Authenticator(config.apiKeys(), config.certificateCallers());
    AccessGuard guard = new AccessGuard(authenticator);
    DecisionService decisions = new DecisionService(store);
    Optional<GatewayHandler> gateway = given.isPresent() ? given
        : jwt.map(v -> new GatewayCheckHandler(decisions, v, metrics, config.trustForwardedFor(), err));
    ApiRouter.Parts parts = new ApiRouter.Parts(store, watcher, guard, metrics,
        new AuthZenHandlers(decisions, config.maxPairs(), config.publicUrl()),
        new DecisionsHandler(decisions, new DecisionsHandler.Limits(config.maxResources(), config.maxActions(),
            config.maxPairs(), config.cacheTtlSeconds())),
        gateway, Loopback.is(config.host()), config.bodyLimitBytes(), config.requestTimeoutMillis(), draining::get,
        config.connections().bodiesInFlightBytes(), bodiesInFlight(metrics), err, policies,
        new ClusterEndpoint(member, policies.status(), store, draining::get), entities,
        new dev.verdict.server.entities.EntityHandlers(entities, store,
            new dev.verdict.server.entities.EntityMetrics(metrics.registry(), entities), err));
    HttpServerOptions http = httpOptions(config.port() == 0 ? freePort() : config.port());
    Duration grace = Duration.ofMillis(config.shutdownGraceMillis());
    try {
      // Instances listening on one port share it.
      vertx.deployVerticle(() -> new HttpVerticle(http, parts, grace, port,
          v -> new ConnectionGuard(v, config.connections(), TimeUnit.SECONDS.toMillis(IDLE_TIMEOUT_SECONDS), metrics)),
          new DeploymentOptions().setInstances(config.eventLoops())).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      closeQuietly(vertx);
      log.close(1_000);
      throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + ": " + reason(e), 2);
    }
    // metrics.serving(...) ran when the first load was reported: once is enough, since with many
    // resource types and routes it is a noticeable share of a large set's start-up
    if (config.managementPort().isPresent()) {
      management = Optional.of(ManagementListener.start(vertx, config.host(), config.managementPort().getAsInt(),
          store, draining::get, () -> policies.notReady().or(entities::notReady), metrics, err));
    }
  }

  private static AtomicLong bodiesInFlight(ServerMetrics metrics) {
    AtomicLong n = new AtomicLong();
    metrics.bodiesInFlight(n);
    return n;
  }

  /**
   * Port 0 means any free port, but each server instance would get its own; so one is picked
   * here for all of them (another process could take it in between: port 0 is for tests).
   */
  private int freePort() throws StartupException {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(config.host()))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new StartupException("cannot find a free port on " + config.host() + ": " + e.getMessage(), 2);
    }
  }

  private HttpServerOptions httpOptions(int onPort) {
    HttpServerOptions o = new HttpServerOptions()
        .setHost(config.host())
        .setPort(onPort)
        .setMaxHeaderSize(InvalidRequests.MAX_HEADERS)
        .setMaxInitialLineLength(InvalidRequests.MAX_INITIAL_LINE)
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        // no WebSocket endpoint: without these, every connection's pipeline carries an extension
        // handler that inspects each request and response for an upgrade that never comes
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    config.tls().ifPresent(t -> {
      o.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.cert().toString())
          .setKeyPath(t.key().toString()));
      t.clientCa().ifPresent(ca -> o.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
          .setClientAuth(ClientAuth.REQUIRED));
    });
    return o;
  }

  static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? "the address could not be bound" : m;
  }

  /** {@code io_uring} or {@code nio}: what the event loops run on ({@link IoTransport}). */
  public String transport() {
    return transport;
  }

  private static Vertx vertx(VertxOptions options, PrometheusMeterRegistry registry,
      io.vertx.core.transport.Transport transport) {
    return Vertx.builder().with(options).withTransport(transport)
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  /** The port actually listened on (the configured one, or the one picked for port 0). */
  public int port() {
    return port.get();
  }

  /** This node's cluster member; empty when it runs alone. */
  public Optional<HazelcastInstance> member() {
    return member;
  }

  /** The management listener's address (probes and metrics), when one is configured. */
  public Optional<String> managementAddress() {
    return management.map(m -> "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host())
        + ":" + m.port());
  }

  public PolicyStore store() {
    return store;
  }

  /** Pushed bundles, adoption and the members' versions. */
  public ClusterPolicyService policies() {
    return policies;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  public DecisionLog decisionLog() {
    return log;
  }

  public String address() {
    return (config.tls().isPresent() ? "https://" : "http://")
        + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port();
  }

  /**
   * Stops gracefully: readiness turns false, the servers stop accepting, requests in flight may
   * finish within the grace period, then everything closes and the log is flushed. Blocking.
   */
  public void stop() {
    draining.set(true);
    try {
      policies.withdraw();
      watcher.stop();
      vertx.close().await(config.shutdownGraceMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      err.log(Level.WARNING, "shutdown did not finish in time: " + reason(e));
    } finally {
      jwt.ifPresent(JwtVerifier::close);
      entities.close();
      // Graceful (the member's shutdown policy): its partitions, budgets among them, migrate first.
      member.ifPresent(HazelcastInstance::shutdown);
      log.close(5_000);
    }
  }

  private static void initialize(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e); // it is the class given
    }
  }

  /** Closes Vert.x once it has started (it may still be starting when the start fails). */
  private static void closeQuietly(CompletableFuture<Vertx> starting) {
    try {
      closeQuietly(starting.join());
    } catch (CompletionException e) {
      // It did not start: nothing to close.
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Startup already failed; the process is about to exit with that error.
    }
  }
}

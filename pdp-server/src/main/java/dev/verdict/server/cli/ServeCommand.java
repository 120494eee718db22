package dev.verdict.server.cli;

import dev.verdict.server.boot.ConfigException;
import dev.verdict.server.boot.ConfigLoader;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.boot.StartupException;
import dev.verdict.server.boot.VerdictServer;
import dev.verdict.server.policy.PolicySnapshot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code verdict serve}: the PDP server. Settings come from flags, then {@code VERDICT_…}
 * environment variables, then the YAML file of {@code --config}, then defaults. Exit codes:
 * 0 after a graceful stop (SIGTERM or SIGINT), 1 when the policy set has errors at startup,
 * 2 for a configuration the server cannot run with.
 */
@Command(name = "serve", description = "Serve decisions over HTTP (AuthZEN, the native API and, with JWT settings, gateways).")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (env VERDICT_CONFIG).")
  Path config;

  @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Port to listen on (default 8181; 0 picks a free one).")
  String port;

  @Option(names = "--policies", paramLabel = "DIR", description = "Policy set directory (default policies/banking).")
  String policies;

  @Option(names = "--public-url", paramLabel = "URL", description = "This PDP's URL in the AuthZEN metadata.")
  String publicUrl;

  @Option(names = "--event-loops", paramLabel = "N", description = "Event loops (default: the number of cores).")
  String eventLoops;

  @Option(names = "--transport", paramLabel = "auto|io_uring|nio", description = "How the event loops use sockets: io_uring when available (auto, the default), io_uring or refuse to start, or the JDK's NIO.")
  String transport;

  @Option(names = "--reload-interval-ms", paramLabel = "MS", description = "Policy directory poll interval; 0 turns watching off (default 1000).")
  String reloadInterval;

  @Option(names = "--body-limit", paramLabel = "BYTES", description = "Largest request body (default 1048576).")
  String bodyLimit;

  @Option(names = "--request-timeout-ms", paramLabel = "MS", description = "Longest time to answer a request (default 10000).")
  String requestTimeout;

  @Option(names = "--max-connections", paramLabel = "N", description = "Open connections at most; more are closed when accepted (default 10000).")
  String maxConnections;

  @Option(names = "--header-timeout-ms", paramLabel = "MS", description = "Time a new connection has to send its request headers (default 10000).")
  String headerTimeout;

  @Option(names = "--body-timeout-ms", paramLabel = "MS", description = "Time a request has to send its body (default 30000).")
  String bodyTimeout;

  @Option(names = "--bodies-in-flight-bytes", paramLabel = "BYTES", description = "Request body bytes received at once over all connections; past it 503 (default 67108864).")
  String bodiesInFlight;

  @Option(names = "--shutdown-grace-ms", paramLabel = "MS", description = "Time in-flight requests get on shutdown (default 10000).")
  String shutdownGrace;

  @Option(names = "--decision-log", paramLabel = "stdout|file|off", description = "Where decision records go (default stdout).")
  String decisionLog;

  @Option(names = "--decision-log-file", paramLabel = "FILE", description = "The file for --decision-log file.")
  String decisionLogFile;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Server certificate chain (turns on HTTPS).")
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Server private key.")
  String tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "CA for client certificates (turns on mTLS).")
  String tlsClientCa;

  @Option(names = "--jwks-file", paramLabel = "FILE", description = "JWKS of the token issuer (turns on /v1/gateway/check).")
  String jwksFile;

  @Option(names = "--jwks-url", paramLabel = "URL", description = "JWKS URL of the token issuer (turns on /v1/gateway/check).")
  String jwksUrl;

  @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "Exact `iss` of accepted bearer tokens.")
  String jwtIssuer;

  @Option(names = "--jwt-audience", paramLabel = "AUD[,AUD]", description = "Accepted `aud` values, comma-separated.")
  String jwtAudience;

  @Option(names = "--trust-forwarded-for", paramLabel = "true|false", description = "Gateway checks take context.ip from X-Forwarded-For's first hop (default false).")
  String trustForwardedFor;

  @Option(names = "--cluster-name", paramLabel = "NAME", description = "Join the cluster of this name (with --cluster-members or --cluster-kubernetes-service).")
  String clusterName;

  @Option(names = "--cluster-members", paramLabel = "HOST:PORT[,…]", description = "Members to join over TCP-IP.")
  String clusterMembers;

  @Option(names = "--cluster-port", paramLabel = "PORT", description = "This member's cluster port (default 5701).")
  String clusterPort;

  @Option(names = "--cluster-interface", paramLabel = "ADDR", description = "The one address the cluster port binds to (default 127.0.0.1).")
  String clusterInterface;

  @Option(names = "--cluster-kubernetes-service", paramLabel = "DNS", description = "Headless Service whose addresses are the members.")
  String clusterKubernetesService;

  @Option(names = "--decision-cache", paramLabel = "off|local|cluster|auto", description = "Where decisions are cached (default local; auto in a cluster).")
  String decisionCache;

  @Option(names = "--management-port", paramLabel = "PORT", description = "Serve /health/* and /metrics on this port without client authentication (default off).")
  String managementPort;

  @Option(names = "--bundle-keys", paramLabel = "JWKS", description = "Public keys that pushed policy bundles must be signed with.")
  String bundleKeys;

  @Option(names = "--bundle-signing-key", paramLabel = "JWK", description = "In a cluster: the private key (one of --bundle-keys) this node signs the cluster's bundle with when a link is written over its admin API.")
  String bundleSigningKey;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("host", host);
    flags.put("port", port);
    flags.put("policies", policies);
    flags.put("public-url", publicUrl);
    flags.put("event-loops", eventLoops);
    flags.put("transport", transport);
    flags.put("reload-interval-ms", reloadInterval);
    flags.put("body-limit", bodyLimit);
    flags.put("request-timeout-ms", requestTimeout);
    flags.put("max-connections", maxConnections);
    flags.put("header-timeout-ms", headerTimeout);
    flags.put("body-timeout-ms", bodyTimeout);
    flags.put("bodies-in-flight-bytes", bodiesInFlight);
    flags.put("shutdown-grace-ms", shutdownGrace);
    flags.put("decision-log", decisionLog);
    flags.put("decision-log-file", decisionLogFile);
    flags.put("tls-cert", tlsCert);
    flags.put("tls-key", tlsKey);
    flags.put("tls-client-ca", tlsClientCa);
    flags.put("jwks-file", jwksFile);
    flags.put("jwks-url", jwksUrl);
    flags.put("jwt-issuer", jwtIssuer);
    flags.put("jwt-audience", jwtAudience);
    flags.put("trust-forwarded-for", trustForwardedFor);
    flags.put("cluster-name", clusterName);
    flags.put("cluster-members", clusterMembers);
    flags.put("cluster-port", clusterPort);
    flags.put("cluster-interface", clusterInterface);
    flags.put("cluster-kubernetes-service", clusterKubernetesService);
    flags.put("decision-cache", decisionCache);
    flags.put("management-port", managementPort);
    flags.put("bundle-keys", bundleKeys);
    flags.put("bundle-signing-key", bundleSigningKey);
    Map<String, String> env = System.getenv();
    Optional<Path> file = Optional.ofNullable(config)
        .or(() -> Optional.ofNullable(env.get("VERDICT_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
    ServerConfig cfg;
    try {
      cfg = ConfigLoader.load(flags, env, file);
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      return VerdictCommand.USAGE;
    }
    VerdictServer server;
    try {
      server = VerdictServer.start(cfg, Optional.empty(), System.err);
    } catch (StartupException e) {
      err.println(e.getMessage().startsWith("error:") || e.getMessage().contains("\nerror:")
          ? e.getMessage() : "error: " + e.getMessage());
      return e.exitCode();
    }
    PolicySnapshot snap = server.store().current().orElseThrow();
    // stderr, with the server's other messages: stdout carries the JSON decision log
    err.println("verdict: listening on " + server.address() + ", policy version " + snap.version() + " ("
        + snap.set().ruleCount() + " rules from " + cfg.policies() + ")");
    server.managementAddress().ifPresent(a -> err.println("verdict: management (/health/*, /metrics) on " + a));
    err.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    stop.await();
    err.println("verdict: stopping (finishing requests in flight)");
    server.stop();
    err.println("verdict: stopped");
    return VerdictCommand.OK;
  }
}

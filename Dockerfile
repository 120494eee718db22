# The Verdict PDP image, from the distribution `mvn -B package` builds
# (pdp-server/target/verdict-<version>.tar.gz):
#   mvn -B package && docker build -t verdict:0.1.0 .
# The runtime is pinned to an exact JRE release; both stages use it, because the class-data
# archive made in the first stage is only valid for the very Java build that made it.
# docs/operations.md says what of this is verified by the build (no registry is reachable there).
ARG JRE=eclipse-temurin:17.0.15_6-jre-noble

FROM ${JRE} AS dist
COPY pdp-server/target/verdict-*.tar.gz /tmp/
RUN mkdir -p /opt \
 && tar -xzf /tmp/verdict-*.tar.gz -C /opt \
 && mv /opt/verdict-* /opt/verdict \
 && /opt/verdict/bin/verdict-cds /opt/verdict \
 && chmod -R a-w /opt/verdict

FROM ${JRE}
COPY --from=dist /opt/verdict /opt/verdict
# Relative paths below (lib/…, the default policies/banking) are read from here; the build's
# DistributionTest runs this ENTRYPOINT from the unpacked distribution's root the same way.
WORKDIR /opt/verdict
# Any non-root uid works: the server writes nothing but standard output and error, so the root
# file system can be read-only (mount an emptyDir at /tmp, as k8s/ does, for the JVM's scratch files).
USER 10001:10001
# decisions, management (/health/*, /metrics, with VERDICT_MANAGEMENT_PORT=9090), cluster members
EXPOSE 8181 9090 5701
# Exec form: java is the process (PID 1 gets SIGTERM and drains), and no shell is needed to start it.
# lib/serve.options sizes the heap as a share of the container's memory limit; JDK_JAVA_OPTIONS adds flags.
ENTRYPOINT ["java", "@lib/serve.options", "-XX:SharedArchiveFile=lib/verdict.jsa", "-jar", "lib/verdict.jar", "serve"]

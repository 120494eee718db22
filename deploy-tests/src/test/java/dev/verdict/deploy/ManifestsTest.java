package dev.verdict.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The reader the manifest checks rely on refuses what a cluster would silently drop. */
class ManifestsTest {
  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: verdict
      spec:
        template:
          spec:
            containers:
              - name: verdict
                %s:
                  httpGet:
                    path: /health/ready
                    port: 9090
      """;

  @Test
  void readsKnownFieldsIntoTypedObjects() throws Exception {
    Manifests m = Manifests.parse(DEPLOYMENT.formatted("readinessProbe"));
    assertThat(m.one(Deployment.class, "verdict").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
  }

  @Test
  void aMisspelledFieldIsAnErrorNamingItsPath() {
    assertThatThrownBy(() -> Manifests.parse(DEPLOYMENT.formatted("readinesProbe")))
        .hasMessageContaining("apps/v1/Deployment verdict.spec.template.spec.containers[0].readinesProbe");
  }

  @Test
  void anUnexpectedKindIsAnError() {
    assertThatThrownBy(() -> Manifests.parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"))
        .hasMessageContaining("unexpected object `v1/Pod`");
  }
}

package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which member is held back when members serve different versions. */
class BundleVersionMajorityTest {
  @Test
  void aMemberOnAMinorityVersionIsNotReadyAndSaysWhy() {
    assertThat(MemberStatus.disagreement("sha256:new", List.of("sha256:old", "sha256:old", "sha256:new")))
        .contains("serving sha256:new but 2 of 3 ready members serve sha256:old");
    assertThat(MemberStatus.disagreement("sha256:old", List.of("sha256:old", "sha256:old", "sha256:new"))).isEmpty();
  }

  @Test
  void aTieHoldsNobodyBackAndAnAloneMemberAgreesWithItself() {
    assertThat(MemberStatus.disagreement("a", List.of("a", "b"))).isEmpty();
    assertThat(MemberStatus.disagreement("b", List.of("a", "b"))).isEmpty();
    assertThat(MemberStatus.disagreement("a", List.of("a"))).isEmpty();
    assertThat(MemberStatus.disagreement("a", List.of())).isEmpty();
  }

  @Test
  void theLargestOtherGroupIsNamedWhenThereAreSeveral() {
    assertThat(MemberStatus.disagreement("c", List.of("a", "a", "b", "c")))
        .contains("serving c but 2 of 4 ready members serve a");
    assertThat(MemberStatus.disagreement("", List.of("a"))).contains("serving no policy set but 1 of 1 ready members serve a");
  }
}

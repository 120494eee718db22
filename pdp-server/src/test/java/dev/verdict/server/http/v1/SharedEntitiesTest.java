package dev.verdict.server.http.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.server.http.ApiException;
import org.junit.jupiter.api.Test;

/** A batch's shared {@code entities} are read once for all its items (issue 8, L8). */
class SharedEntitiesTest {
  @Test
  void readOnceForEveryItem() throws Exception {
    ObjectNode body = (ObjectNode) new ObjectMapper().readTree("{\"entities\":[{\"uid\":{\"type\":\"Group\","
        + "\"id\":\"g1\"},\"attrs\":{},\"parents\":[]}]}");
    AuthZenHandlers.SharedEntities shared = new AuthZenHandlers.SharedEntities(dev.verdict.lang.eval.ValueTypes.NONE, Part.of(body, "entities", "$"));
    assertThat(shared.get()).hasSize(1);
    assertThat(shared.get()).isSameAs(shared.get());
  }

  @Test
  void anUnreadableMemberIsEveryItemsError() throws Exception {
    ObjectNode body = (ObjectNode) new ObjectMapper().readTree("{\"entities\":5}");
    AuthZenHandlers.SharedEntities shared = new AuthZenHandlers.SharedEntities(dev.verdict.lang.eval.ValueTypes.NONE, Part.of(body, "entities", "$"));
    assertThatThrownBy(shared::get).isInstanceOf(ApiException.class);
    assertThatThrownBy(shared::get).isInstanceOf(ApiException.class);
  }
}

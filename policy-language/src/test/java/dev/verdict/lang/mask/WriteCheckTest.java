package dev.verdict.lang.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WriteCheckTest {

  private static final WriteMask MASK = WriteMask.of(List.of(
      "owner", "tenant", "balance", "holder.ssn", "items[].price", "meta.audit.by"));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{'name': 'x'}                                     | ''",
      "{'owner': 'mallory'}                              | owner",
      "{'owner': null}                                   | owner",
      "{'balance': 0, 'tenant': 't2', 'name': 'x'}       | balance tenant",
      "{'holder': {'name': 'A'}}                         | ''",
      "{'holder': {'ssn': '1'}}                          | holder.ssn",
      "{'holder': {'ssn': null}}                         | holder.ssn",
      "{'holder': null}                                  | holder.ssn",
      "{'holder': 'x'}                                   | holder.ssn",
      "{'items': [{'sku': 'a'}, {'sku': 'b'}]}           | ''",
      "{'items': [{'sku': 'a'}, {'sku': 'b', 'price': 1}]} | items[].price",
      "{'items': []}                                     | ''",
      "{'items': {'price': 3}}                           | items[].price",
      "{'items': [[{'price': 3}]]}                       | items[].price",
      "{'meta': {'audit': {'at': 1}}}                    | ''",
      "{'meta': {'audit': {'by': 'me'}}}                 | meta.audit.by",
      "{'meta': [{'audit': null}]}                       | meta.audit.by",
      "[{'name': 'a'}, {'owner': 'b'}]                   | owner",
      "42                                                | ''",
      "null                                              | ''",
  })
  void listsTheDeniedFieldsABodySets(String body, String expected) {
    List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
    assertThat(WriteCheck.deniedFields(MASK, Json.parse(body))).isEqualTo(want);
    assertThat(WriteCheck.allows(MASK, Json.parse(body))).isEqualTo(want.isEmpty());
  }

  @Test
  void anEmptyMaskAllowsEverything() {
    assertThat(WriteCheck.deniedFields(WriteMask.empty(), Json.parse("{'owner': 'x'}"))).isEmpty();
  }
}

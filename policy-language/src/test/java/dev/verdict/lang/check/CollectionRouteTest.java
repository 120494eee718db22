package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Collection routes ask about a type, not a resource (issue 9.8): rules that decide them
 * without reading resource attributes, guarded reads, built-in attributes and rules that
 * cannot reach them are not warned about.
 */
class CollectionRouteTest {
  @Test
  void rulesThatCannotFailOnACollectionRouteAreQuiet() {
    assertThat(CheckerTableTest.check("""
        entity Post { draft: Bool, owner: String }
        entity Comment { visible: Bool }
        role auditor
        policy posts on Post {
          permit read when not resource.draft
          permit list to auditor
          permit list when context.mfa and resource.type == "Post" and resource.id == ""
          permit list when resource has draft and resource.draft
        }
        policy other on Comment { permit list when resource.visible }
        route GET "/posts" -> Post.list
        route GET "/posts/{id}" -> Post[id].read
        """)).isEmpty();
  }
}

package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Help request grouping")
class HelpGroupsTest {
  /** The same cases the browser's copy of the rules is tested with, so the two cannot drift apart. */
  private static final Path SHARED_CASES = Path.of("..", "webroot", "test", "pacing", "help-words.json");

  static Stream<JsonObject> sharedCases() throws Exception {
    return new JsonArray(Files.readString(SHARED_CASES)).stream().map(JsonObject.class::cast);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sharedCases")
  @DisplayName("reads each message into the words the browser reads")
  void readsWordsAsTheBrowserDoes(JsonObject shared) {
    assertThat(HelpGroups.words(shared.getString("message")))
      .isEqualTo(shared.getJsonArray("words").getList());
  }

  @Test
  @DisplayName("finds the phrase Korean messages share whatever particles follow the nouns")
  void groupsKoreanMessages() {
    List<JsonObject> requests = List.of(ask("그래들 동기화가 안 돼요"), ask("그래들 동기화에서 멈춰요"), ask("빌드가 실패해요"));
    assertThat(HelpGroups.common(requests))
      .isEqualTo(new JsonObject().put("phrase", "그래들 동기화").put("count", 2));
  }

  @Test
  @DisplayName("keeps a short Korean noun whole rather than cut what only looks like a particle")
  void keepsShortNouns() {
    assertThat(HelpGroups.withoutParticle("차이")).isEqualTo("차이");
    assertThat(HelpGroups.withoutParticle("동기화가")).isEqualTo("동기화");
    assertThat(HelpGroups.withoutParticle("서버에서")).isEqualTo("서버");
    assertThat(HelpGroups.withoutParticle("gradle")).isEqualTo("gradle");
  }

  private static JsonObject ask(String message) {
    return new JsonObject().put("message", message).put("status", "open");
  }
}

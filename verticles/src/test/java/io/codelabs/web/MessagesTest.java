package io.codelabs.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The browser app's message files")
class MessagesTest {
  private static final Path MESSAGES = Path.of("..", "webroot", "src", "messages");

  @Test
  @DisplayName("every area has the same keys in every locale, and no message is empty")
  void localesAgree() throws IOException {
    List<Path> english;
    try (Stream<Path> files = Files.list(MESSAGES.resolve("en"))) {
      english = files.sorted().toList();
    }
    assertThat(english).isNotEmpty();
    try (Stream<Path> locales = Files.list(MESSAGES)) {
      for (Path locale : locales.toList()) {
        for (Path area : english) {
          JsonObject reference = read(area);
          JsonObject translated = read(locale.resolve(area.getFileName()));
          assertThat(translated.fieldNames()).as("%s in %s", area.getFileName(), locale.getFileName())
            .containsExactlyInAnyOrderElementsOf(reference.fieldNames());
          translated.forEach(entry -> assertThat((String) entry.getValue()).as(entry.getKey()).isNotBlank());
        }
      }
    }
  }

  private static JsonObject read(Path file) throws IOException {
    return new JsonObject(Files.readString(file));
  }
}

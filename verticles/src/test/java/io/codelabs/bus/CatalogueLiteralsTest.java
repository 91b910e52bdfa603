package io.codelabs.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Addresses and event types are written only in the catalogue enums and the module generated from
 * them: anywhere else a quoted address, a quoted start of a templated address or a quoted event
 * type is a second vocabulary that drifts.
 */
@DisplayName("No address or event-type literal outside the catalogue")
class CatalogueLiteralsTest {
  private static final Path JAVA = Path.of("src/main/java");
  private static final Path WEBROOT = Path.of("../webroot/src");
  private static final List<Path> CATALOGUE = List.of(
    JAVA.resolve("io/codelabs/bus/Address.java"),
    JAVA.resolve("io/codelabs/bus/EventType.java"),
    CatalogueModuleTest.MODULE);

  @Test
  @DisplayName("Java sources name addresses and event types through the enums")
  void javaSources() {
    assertThat(violations(JAVA, ".java")).isEmpty();
  }

  @Test
  @DisplayName("the browser app names them through lib/catalogue.js")
  void browserApp() {
    assertThat(violations(WEBROOT, ".js", ".svelte")).isEmpty();
  }

  @Test
  @DisplayName("the needles find a quoted address, a templated address's start and an event type")
  void needlesFindLiterals() {
    assertThat(found("send('codelab.chat.send', body)")).containsExactly("'codelab.chat.send'");
    assertThat(found("List.of(\"codelab.public.\" + codelabId)")).containsExactly("\"codelab.public.");
    assertThat(found("case `chat.posted`:")).containsExactly("`chat.posted`");
    assertThat(found("t('attendee.help.open') + 'chat.'")).isEmpty();
  }

  private static List<String> violations(Path root, String... extensions) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
        .filter(file -> Stream.of(extensions).anyMatch(file.toString()::endsWith))
        .filter(file -> CATALOGUE.stream().noneMatch(entry -> entry.normalize().equals(file.normalize())))
        .flatMap(file -> found(read(file)).stream().map(literal -> file + ": " + literal))
        .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> found(String source) {
    List<String> literals = new ArrayList<>();
    for (String needle : needles()) {
      if (source.contains(needle)) {
        literals.add(needle);
      }
    }
    return literals;
  }

  private static List<String> needles() {
    List<String> needles = new ArrayList<>();
    for (String quote : List.of("'", "\"", "`")) {
      for (Address address : Address.values()) {
        int placeholder = address.address.indexOf('{');
        needles.add(placeholder < 0 ? quote + address.address + quote : quote + address.address.substring(0, placeholder));
      }
      for (EventType eventType : EventType.values()) {
        needles.add(quote + eventType.type + quote);
      }
    }
    return needles;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

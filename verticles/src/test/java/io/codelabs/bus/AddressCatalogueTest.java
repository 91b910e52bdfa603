package io.codelabs.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's address and event-type tables and {@code openapi/eventbus.json} are the published
 * bus contract; they must say exactly what the catalogue enums say. On a mismatch the expected
 * files are written under target/ to copy over.
 */
@DisplayName("The address and event-type catalogue and its published copies")
class AddressCatalogueTest {
  private static final Path ROOT = Path.of("..");

  @Test
  @DisplayName("the README table lists every address as the enum does")
  void readmeTable() throws IOException {
    assertReadmeSection("bus-catalogue", table());
  }

  @Test
  @DisplayName("the README table lists every event type as the enum does")
  void readmeEventTypes() throws IOException {
    assertReadmeSection("event-types", eventTypeTable());
  }

  @Test
  @DisplayName("openapi/eventbus.json is the enums, entry for entry")
  void publishedJson() throws IOException {
    JsonObject expected = new JsonObject()
      .put("addresses", new JsonArray(Arrays.stream(Address.values()).map(Address::describe).toList()))
      .put("eventTypes", new JsonArray(Arrays.stream(EventType.values()).map(EventType::describe).toList()));
    JsonObject actual = new JsonObject(Files.readString(ROOT.resolve("openapi/eventbus.json")));
    if (!actual.equals(expected)) {
      Files.writeString(Path.of("target/eventbus.json"), expected.encodePrettily() + "\n");
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  @DisplayName("addresses are unique, dotted lowercase, only events are templated and untemplated events are internal")
  void grammar() {
    assertThat(Arrays.stream(Address.values()).map(a -> a.address).distinct()).hasSize(Address.values().length);
    for (Address address : Address.values()) {
      assertThat(address.address).matches("[a-z]+(\\.([a-z-]+|\\{[a-zA-Z]+}))+");
      if (address.address.contains("{") && !address.outbound()) {
        assertThat(address.users).as("%s is a templated request address, so one node's own and internal", address).isEmpty();
      }
      if (address.kind == Address.Kind.EVENT && !address.address.contains("{")) {
        assertThat(address.users).as("%s is a node-wide event, never for browsers", address).isEmpty();
      }
      assertThat(new JsonObject(address.example)).as("%s example is a JSON object", address).isNotNull();
    }
    assertThat(Address.INBOX_EVENTS.of("c1", "a9")).isEqualTo("codelab.inbox.c1.a9");
    assertThatThrownBy(() -> Address.INBOX_EVENTS.of("c1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Address.INBOX_EVENTS.of("c1", "{attendeeId}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("event types are unique, dotted lowercase, sent on at least one stream, and their examples match their schemas")
  void eventTypes() {
    assertThat(Arrays.stream(EventType.values()).map(e -> e.type).distinct()).hasSize(EventType.values().length);
    for (EventType eventType : EventType.values()) {
      assertThat(eventType.type).matches("[a-z]+\\.[a-z-]+");
      assertThat(eventType.streams).as("%s streams", eventType).isNotEmpty();
      // The validator annotates the schema it is given; the catalogue's own must stay as published.
      Validator validator = Validator.create(JsonSchema.of(eventType.schema.copy()),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app:///"));
      OutputUnit result = validator.validate(new JsonObject(eventType.example));
      assertThat(result.getValid()).as("%s example against its schema: %s", eventType, result.getErrors()).isTrue();
      assertThat(validator.validate(new JsonObject()).getValid()).as("%s schema requires its fields", eventType).isFalse();
    }
    assertThat(Arrays.stream(EventType.Stream.values()).map(stream -> stream.address))
      .allMatch(address -> address.kind == Address.Kind.EVENT);
  }

  private static void assertReadmeSection(String name, String expected) throws IOException {
    String start = "<!-- " + name + ":start -->";
    String end = "<!-- " + name + ":end -->";
    String readme = Files.readString(ROOT.resolve("README.md"));
    String actual = readme.contains(start) && readme.contains(end)
      ? readme.substring(readme.indexOf(start) + start.length(), readme.indexOf(end)) : "";
    if (!actual.equals(expected)) {
      Files.writeString(Path.of("target/README-" + name + ".md"), start + expected + end + "\n");
    }
    assertThat(actual).as("README.md between %s and %s (expected text in target/README-%s.md)", start, end, name)
      .isEqualTo(expected);
  }

  private static String eventTypeTable() {
    return "\n| Event type | Streams | Data | Description |\n|---|---|---|---|\n"
      + Arrays.stream(EventType.values()).map(e -> "| `" + e.type + "` | "
        + e.streams.stream().map(stream -> stream.wire).collect(Collectors.joining(", ")) + " | "
        + e.schema.getJsonObject("properties").fieldNames().stream()
        .map(field -> e.schema.getJsonArray("required").contains(field) ? "`" + field + "`" : "`" + field + "`?")
        .collect(Collectors.joining(", "))
        + " | " + e.description.replace("|", "\\|") + " |")
        .collect(Collectors.joining("\n")) + "\n";
  }

  private static String table() {
    return "\n| Address | Kind | Browser/integrator use | Description |\n|---|---|---|---|\n"
      + Arrays.stream(Address.values()).map(a -> "| `" + a.address + "` | " + a.kind.name().toLowerCase() + " | "
        + (a.users.isEmpty() ? "internal" : a.users.stream().map(r -> r.name().toLowerCase())
        .collect(Collectors.joining(", "))) + " | " + a.description.replace("|", "\\|") + " |")
        .collect(Collectors.joining("\n")) + "\n";
  }
}

package io.codelabs.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's address table and {@code openapi/eventbus.json} are the published bus contract;
 * both must say exactly what the catalogue enum says. On a mismatch the expected files are written
 * under target/ to copy over.
 */
@DisplayName("The address catalogue and its published copies")
class AddressCatalogueTest {
  private static final Path ROOT = Path.of("..");
  private static final String START = "<!-- bus-catalogue:start -->";
  private static final String END = "<!-- bus-catalogue:end -->";

  @Test
  @DisplayName("the README table lists every address as the enum does")
  void readmeTable() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String expected = table();
    String actual = readme.substring(readme.indexOf(START) + START.length(), readme.indexOf(END));
    if (!actual.equals(expected)) {
      Files.writeString(Path.of("target/README-bus-catalogue.md"), expected);
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  @DisplayName("openapi/eventbus.json is the enum, entry for entry")
  void publishedJson() throws IOException {
    JsonObject expected = new JsonObject().put("addresses",
      new JsonArray(Arrays.stream(Address.values()).map(Address::describe).toList()));
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
      if (address.address.contains("{")) {
        assertThat(address.kind).isEqualTo(Address.Kind.EVENT);
      }
      if (address.kind == Address.Kind.EVENT && !address.address.contains("{")) {
        assertThat(address.users).as("%s is a node-wide event, never for browsers", address).isEmpty();
      }
      assertThat(new JsonObject(address.example)).as("%s example is a JSON object", address).isNotNull();
    }
    assertThat(Address.INBOX_EVENTS.of("c1", "a9")).isEqualTo("codelab.inbox.c1.a9");
  }

  private static String table() {
    return "\n| Address | Kind | Browser/integrator use | Description |\n|---|---|---|---|\n"
      + Arrays.stream(Address.values()).map(a -> "| `" + a.address + "` | " + a.kind.name().toLowerCase() + " | "
        + (a.users.isEmpty() ? "internal" : a.users.stream().map(r -> r.name().toLowerCase())
        .collect(Collectors.joining(", "))) + " | " + a.description.replace("|", "\\|") + " |")
        .collect(Collectors.joining("\n")) + "\n";
  }
}

package io.codelabs.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The browser app reads addresses and event types from {@code webroot/src/lib/catalogue.js}, which
 * is generated from the enums. On a mismatch the expected module is written to
 * target/catalogue.js to copy over.
 */
@DisplayName("The browser's catalogue module")
class CatalogueModuleTest {
  static final Path MODULE = Path.of("../webroot/src/lib/catalogue.js");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

  @Test
  @DisplayName("webroot/src/lib/catalogue.js is generated from the Address and EventType enums")
  void moduleIsGenerated() throws IOException {
    String expected = module();
    String actual = Files.exists(MODULE) ? Files.readString(MODULE) : "";
    if (!actual.equals(expected)) {
      Files.writeString(Path.of("target/catalogue.js"), expected);
    }
    assertThat(actual).as("%s (expected text in target/catalogue.js)", MODULE).isEqualTo(expected);
  }

  /** Only what browsers may use: commands, queries and streams with users; templated ones are functions. */
  static String module() {
    String addresses = Arrays.stream(Address.values()).filter(address -> !address.users.isEmpty())
      .map(address -> "  " + address.name() + ": " + javascript(address.address) + ",")
      .collect(Collectors.joining("\n"));
    String eventTypes = Arrays.stream(EventType.values())
      .map(eventType -> "  " + eventType.name() + ": '" + eventType.type + "',")
      .collect(Collectors.joining("\n"));
    return """
      // Generated from io.codelabs.bus.Address and io.codelabs.bus.EventType; CatalogueModuleTest checks it.
      // Change the enums, then copy verticles/target/catalogue.js here.

      /** The bus addresses browsers send to or register for; templated ones take their placeholders in order. */
      export const Address = Object.freeze({
      %s
      });

      /** The type of every event in a codelab's log. */
      export const EventType = Object.freeze({
      %s
      });
      """.formatted(addresses, eventTypes);
  }

  private static String javascript(String address) {
    Matcher matcher = PLACEHOLDER.matcher(address);
    List<String> names = new ArrayList<>();
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    if (names.isEmpty()) {
      return "'" + address + "'";
    }
    return "(" + String.join(", ", names) + ") => `" + PLACEHOLDER.matcher(address).replaceAll("\\${$1}") + "`";
  }
}

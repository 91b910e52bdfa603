package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Command input")
class InputTest {

  @Test
  @DisplayName("an idempotency key is 8 to 64 ASCII letters, digits, '-' or '_', or absent")
  void eventIds() {
    assertThat(Input.eventId(new JsonObject())).isNull();
    for (String good : List.of("abcdEFGH", "0123456789_-", "x".repeat(64))) {
      assertThat(Input.eventId(new JsonObject().put("eventId", good))).isEqualTo(good);
    }
    for (String bad : List.of("short-7", "x".repeat(65), "with space", "dotted.key1", "ünïcode-key", "key/with/slash",
      "tab\tinside1")) {
      assertThatThrownBy(() -> Input.eventId(new JsonObject().put("eventId", bad)))
        .as(bad).isInstanceOfSatisfying(BusFailure.class, failure -> assertThat(failure.code).isEqualTo(ErrorCode.INVALID));
    }
  }
}

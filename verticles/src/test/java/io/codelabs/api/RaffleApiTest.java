package io.codelabs.api;

import static io.codelabs.BridgeClient.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.BridgeClient.Sockets;
import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import io.codelabs.raffle.RaffleDraw;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Raffles: drawn by the writer from a recorded seed, nobody twice")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RaffleApiTest extends NodeTestBase {

  @Test
  @DisplayName("over several raffles nobody wins twice; among completed draws only those who completed; then 409")
  void neverTwice() {
    String id = codelab(admin);
    Set<String> completed = new HashSet<>();
    Set<String> everyone = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      JsonObject joined = http.join(id, "player" + i, "code-player" + i);
      everyone.add(joined.getJsonObject("attendee").getString("id"));
      if (i < 5) {
        for (int step = 0; step < 3; step++) {
          http.post("/api/codelabs/" + id + "/progress", joined.getString("token"), new JsonObject().put("step", step)
            .put("completed", true));
        }
        completed.add(joined.getJsonObject("attendee").getString("id"));
      }
    }
    List<String> winners = new ArrayList<>();
    JsonObject first = draw(id, new JsonObject().put("winners", 2).put("among", "completed"));
    assertThat(first.getInteger("eligible")).isEqualTo(5);
    winners.addAll(winnerIds(first));
    JsonObject second = draw(id, new JsonObject().put("winners", 2));
    assertThat(second.getString("among")).as("completed by default").isEqualTo("completed");
    assertThat(second.getInteger("eligible")).isEqualTo(3);
    winners.addAll(winnerIds(second));
    JsonObject third = draw(id, new JsonObject().put("winners", 5).put("among", "completed"));
    assertThat(third.getInteger("eligible")).isEqualTo(1);
    winners.addAll(winnerIds(third));
    assertThat(winners).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(completed);

    Response nobody = http.post("/api/codelabs/" + id + "/raffles", admin, new JsonObject().put("winners", 1));
    assertThat(nobody.status()).isEqualTo(409);
    assertThat(nobody.json().getString("detail")).contains("Nobody is left");
    JsonObject rest = draw(id, new JsonObject().put("winners", 50).put("among", "all"));
    assertThat(winnerIds(rest)).hasSize(2).doesNotContainAnyElementsOf(completed);
    winners.addAll(winnerIds(rest));
    assertThat(winners).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(everyone);
    assertThat(http.post("/api/codelabs/" + id + "/raffles", admin, new JsonObject().put("winners", 1)
      .put("among", "all")).status()).isEqualTo(409);

    List<JsonObject> raffles = http.get("/api/codelabs/" + id + "/raffles", admin).json().getJsonArray("raffles")
      .stream().map(JsonObject.class::cast).toList();
    assertThat(raffles).extracting(raffle -> raffle.getString("id"))
      .containsExactly(rest.getString("id"), third.getString("id"), second.getString("id"), first.getString("id"));
    assertThat(raffles.get(3)).isEqualTo(first);
  }

  @Test
  @DisplayName("the winners follow from the seed and the sorted eligible ids; everyone is told, with the seed")
  void reproducibleFromSeed() {
    String id = codelab(admin);
    List<String> ids = new ArrayList<>();
    String neo = null;
    for (int i = 0; i < 12; i++) {
      JsonObject joined = http.join(id, "guest" + i, "code-guest" + i);
      ids.add(joined.getJsonObject("attendee").getString("id"));
      neo = joined.getString("token");
    }
    String seed = "9f2c41d0a6b34e1f8c2d7a5b0e913c68";
    JsonObject raffle = draw(id, new JsonObject().put("winners", 3).put("among", "all").put("seed", seed.toUpperCase()));
    assertThat(raffle.getString("seed")).isEqualTo(seed);
    assertThat(winnerIds(raffle)).isEqualTo(RaffleDraw.draw(seed, ids, 3));
    JsonObject unseeded = draw(id, new JsonObject().put("winners", 1).put("among", "all"));
    assertThat(unseeded.getString("seed")).matches("[0-9a-f]{64}");
    List<String> left = new ArrayList<>(ids);
    left.removeAll(winnerIds(raffle));
    assertThat(winnerIds(unseeded)).isEqualTo(RaffleDraw.draw(unseeded.getString("seed"), left, 1));

    JsonObject announced = http.get("/api/codelabs/" + id + "/events?after=0", neo).json().getJsonArray("events")
      .stream().map(JsonObject.class::cast).filter(event -> event.getString("type").equals("raffle.drawn"))
      .findFirst().orElseThrow().getJsonObject("data");
    assertThat(announced.getString("raffleId")).isEqualTo(raffle.getString("id"));
    assertThat(announced.getString("seed")).isEqualTo(seed);
    assertThat(announced.getInteger("eligible")).isEqualTo(12);
    assertThat(announced.getJsonArray("winners").getJsonObject(0).fieldNames()).containsExactly("nickname");
  }

  @Test
  @DisplayName("over the realtime bridge an attendee sees the draw live and its certificate arrive in its inbox")
  void liveOverTheBridge() {
    String id = codelab(admin);
    JsonObject joined = http.join(id, "neo", "code-neo");
    String neo = joined.getString("token");
    String neoId = joined.getJsonObject("attendee").getString("id");
    Sockets sockets = BridgeClient.client(node.vertx);
    try {
      BridgeClient socket = BridgeClient.connect(sockets, node.bridgePort, neo).await();
      socket.register(Address.PUBLIC_EVENTS.of(id));
      socket.register(Address.INBOX_EVENTS.of(id, neoId));
      for (int step = 0; step < 3; step++) {
        http.post("/api/codelabs/" + id + "/progress", neo, new JsonObject().put("step", step).put("completed", true));
      }
      String certificateId = http.post("/api/codelabs/" + id + "/certificate", neo, new JsonObject()).json()
        .getJsonObject("certificate").getString("id");
      JsonObject issued = socket.next(event("certificate.issued")).await().getJsonObject("body");
      assertThat(issued.getJsonObject("data").getJsonObject("certificate").getString("id")).isEqualTo(certificateId);

      JsonObject raffle = draw(id, new JsonObject().put("winners", 1));
      JsonObject drawn = socket.next(event("raffle.drawn")).await().getJsonObject("body");
      assertThat(drawn.getString("stream")).isEqualTo("public");
      assertThat(drawn.getJsonObject("data").getString("raffleId")).isEqualTo(raffle.getString("id"));
      assertThat(drawn.getJsonObject("data").getJsonArray("winners").getJsonObject(0).getString("nickname"))
        .isEqualTo("neo");
      socket.close().await();
    } finally {
      sockets.close().await();
    }
  }

  @Test
  @DisplayName("only facilitators draw and list; bad counts, groups and seeds are 400")
  void rules() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String raffles = "/api/codelabs/" + id + "/raffles";
    assertThat(http.post(raffles, neo, new JsonObject().put("winners", 1).put("among", "all")).status()).isEqualTo(403);
    assertThat(http.get(raffles, neo).status()).isEqualTo(403);
    assertThat(http.post(raffles, newFacilitator(unique("other")), new JsonObject().put("winners", 1)).status())
      .isEqualTo(403);
    assertThat(http.post(raffles, admin, new JsonObject().put("winners", 0)).status()).isEqualTo(400);
    assertThat(http.post(raffles, admin, new JsonObject().put("winners", 51)).status()).isEqualTo(400);
    assertThat(http.post(raffles, admin, new JsonObject().put("winners", 1).put("among", "online")).status())
      .isEqualTo(400);
    assertThat(http.post(raffles, admin, new JsonObject().put("winners", 1).put("seed", "xyz")).status()).isEqualTo(400);
    assertThat(http.post(raffles, admin, new JsonObject().put("winners", 1)).status())
      .as("nobody completed yet").isEqualTo(409);
  }

  private static JsonObject draw(String codelabId, JsonObject body) {
    Response drawn = http.post("/api/codelabs/" + codelabId + "/raffles", admin, body);
    assertThat(drawn.status()).as(drawn.text()).isEqualTo(201);
    return drawn.json().getJsonObject("raffle");
  }

  private static List<String> winnerIds(JsonObject raffle) {
    return raffle.getJsonArray("winners").stream().map(JsonObject.class::cast)
      .map(winner -> winner.getString("attendeeId")).toList();
  }
}

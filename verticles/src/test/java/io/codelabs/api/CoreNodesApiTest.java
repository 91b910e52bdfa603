package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** On a single node: who may use the core nodes resource, which lists it refuses, and that there is no log to change. */
@DisplayName("The core nodes resource (/api/cluster/core)")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoreNodesApiTest extends NodeTestBase {
  private static final String PATH = "/api/cluster/core";

  @Test
  @DisplayName("only the instance admin reads or changes the core nodes")
  void adminOnly() {
    String facilitator = newFacilitator(unique("kim"));
    assertThat(http.get(PATH, facilitator).status()).isEqualTo(403);
    assertThat(http.put(PATH, facilitator, peers("a", "127.0.0.1:7100")).status()).isEqualTo(403);
    assertThat(http.get(PATH, null).status()).isEqualTo(401);
    assertThat(http.put(PATH, null, peers("a", "127.0.0.1:7100")).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("a single node is not a cluster of core nodes: 409 with a problem that says so")
  void notACoreCluster() {
    for (Http.Response answer : new Http.Response[] {http.get(PATH, admin),
      http.put(PATH, admin, peers("a", "127.0.0.1:7100", "b", "127.0.0.1:7101"))}) {
      assertThat(answer.status()).isEqualTo(409);
      assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
      assertThat(answer.json().getString("detail")).contains("not a cluster of core nodes", "--core-peers");
    }
  }

  @Test
  @DisplayName("a list that is empty, malformed, names an id twice or an address twice is refused with 400 before anything else")
  void badListsRefused() {
    assertRefused(new JsonObject().put("peers", new JsonArray()), null);
    assertRefused(new JsonObject(), null);
    assertRefused(new JsonObject().put("peers", new JsonArray().add(new JsonObject().put("id", "a"))), null);
    assertRefused(peers("a", "127.0.0.1"), null);
    assertRefused(peers("a b", "127.0.0.1:7100"), null);
    assertRefused(peers("a", "127.0.0.1:7100", "a", "127.0.0.1:7101"), "listed twice");
    assertRefused(peers("a", "127.0.0.1:7100", "b", "127.0.0.1:7100"), "same address");
    assertRefused(peers("a", "127.0.0.1:70000"), "port of 1-65535");
    assertRefused(peers("a", "127.0.0.1:0"), "port of 1-65535");
  }

  private static void assertRefused(JsonObject body, String detail) {
    Http.Response answer = http.put(PATH, admin, body);
    assertThat(answer.status()).as("%s", body).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    if (detail != null) {
      assertThat(answer.json().getString("detail")).contains(detail);
    }
  }

  private static JsonObject peers(String... idsAndAddresses) {
    JsonArray peers = new JsonArray();
    for (int i = 0; i < idsAndAddresses.length; i += 2) {
      peers.add(new JsonObject().put("id", idsAndAddresses[i]).put("address", idsAndAddresses[i + 1]));
    }
    return new JsonObject().put("peers", peers);
  }
}

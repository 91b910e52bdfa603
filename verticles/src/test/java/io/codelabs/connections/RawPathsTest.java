package io.codelabs.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.NodeTestBase;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Paths mean the route they name: dot segments and encoded separators are refused, long URIs get a readable 414. */
@DisplayName("Raw paths and long URIs")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawPathsTest extends NodeTestBase {
  static final List<String> DOT_SEGMENTS = List.of("%2e%2e", "%2E%2e", ".%2e", "%2e.", "..", "%2e", ".");

  @Test
  @DisplayName("Deleting a material named by a dot segment is refused with 400 and deletes nothing")
  void dotSegmentsAreRefusedOnTheApi() {
    String codelabId = codelab(admin);
    for (String segment : DOT_SEGMENTS) {
      Http.Response deleted = http.delete("/api/codelabs/" + codelabId + "/materials/" + segment, admin);
      assertThat(deleted.status()).as(segment).isEqualTo(400);
      assertThat(deleted.header("Content-Type")).as(segment).isEqualTo("application/problem+json");
      assertThat(deleted.json().getInteger("status")).isEqualTo(400);
    }
    assertThat(http.get("/api/codelabs/" + codelabId, admin).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("Encoded slashes and backslashes are refused with 400")
  void encodedSeparatorsAreRefused() {
    String codelabId = codelab(admin);
    for (String path : List.of("/api/codelabs%2f" + codelabId, "/api/codelabs/" + codelabId + "%5c",
        "/api/codelabs/" + codelabId + "/materials/x%2F..")) {
      Http.Response answer = http.delete(path, admin);
      assertThat(answer.status()).as(path).isEqualTo(400);
      assertThat(answer.header("Content-Type")).as(path).isEqualTo("application/problem+json");
    }
    assertThat(http.get("/api/codelabs/" + codelabId, admin).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("Dot segments are refused on the bridge too")
  void dotSegmentsAreRefusedOnTheBridge() {
    Http bridge = new Http(node.vertx, node.bridgePort);
    try {
      for (String segment : DOT_SEGMENTS) {
        Http.Response answer = bridge.get("/eventbus/x/" + segment + "/info", null);
        assertThat(answer.status()).as(segment).isEqualTo(400);
        assertThat(answer.header("Content-Type")).as(segment).isEqualTo("application/problem+json");
      }
      assertThat(bridge.get("/eventbus/info", null).status()).isEqualTo(200);
    } finally {
      bridge.close();
    }
  }

  @Test
  @DisplayName("A 5,000 and a 10,000 character path get 414 problem+json on both servers")
  void longUrisGet414() {
    Http bridge = new Http(node.vertx, node.bridgePort);
    try {
      for (Http server : List.of(http, bridge)) {
        for (int length : new int[] {5_000, 10_000}) {
          Http.Response answer = server.get("/api/" + "a".repeat(length), null);
          assertThat(answer.status()).as("%d characters", length).isEqualTo(414);
          assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
          assertThat(answer.json().getInteger("status")).isEqualTo(414);
        }
      }
    } finally {
      bridge.close();
    }
  }

  @Test
  @DisplayName("Headers past the size limit get 431 problem+json")
  void largeHeadersGet431() {
    Http.Response answer = http.send(HttpMethod.GET, "/health", null, null,
      MultiMap.caseInsensitiveMultiMap().add("X-Padding", "p".repeat(10_000)));
    assertThat(answer.status()).isEqualTo(431);
    assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(new JsonObject(answer.text()).getInteger("status")).isEqualTo(431);
  }
}

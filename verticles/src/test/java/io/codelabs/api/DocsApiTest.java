package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.bus.Address;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Contract, documentation and health endpoints")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocsApiTest extends NodeTestBase {

  @Test
  @DisplayName("the OpenAPI contract, Swagger UI pointed at it, and the bus catalogue are served")
  void contracts() {
    Response spec = http.get("/openapi.yaml", null);
    assertThat(spec.status()).isEqualTo(200);
    assertThat(spec.text()).startsWith("openapi: 3.1.0").contains("operationId: reportProgress");

    assertThat(http.get("/docs", null).status()).isEqualTo(302);
    assertThat(http.get("/docs/", null).text()).contains("swagger-ui");
    assertThat(http.get("/docs/swagger-initializer.js", null).text()).contains("url: '/openapi.yaml'");

    assertThat(http.get("/vendor/sockjs/sockjs.min.js", null).text()).contains("SockJS");
    Response realtime = http.get("/api/realtime", null);
    assertThat(realtime.json().getString("url")).isEqualTo("http://127.0.0.1:" + node.bridgePort + "/eventbus");

    Response catalogue = http.get("/api/bus/addresses", null);
    assertThat(catalogue.json().getJsonArray("addresses")).hasSize(Address.values().length);
    assertThat(catalogue.json().getJsonArray("addresses").getJsonObject(0).fieldNames())
      .contains("address", "kind", "users", "description", "example");
  }

  @Test
  @DisplayName("the AsyncAPI document is served as YAML, and the docs lead to its page in the app")
  void realtimeContract() {
    Response document = http.get("/asyncapi.yaml", null);
    assertThat(document.status()).isEqualTo(200);
    assertThat(document.header("content-type")).isEqualTo("application/yaml");
    assertThat(document.text()).contains("\nasyncapi: 3.0.0\n").contains("address: codelab.public.{codelabId}");

    assertThat(http.get("/docs/swagger-initializer.js", null).text()).contains("'/docs/asyncapi'");
    Response page = http.get("/docs/asyncapi", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
    assertThat(page.text()).contains("Open Codelabs");
  }

  @Test
  @DisplayName("health is up, readiness shows the admin the writer and this node's seat, unknown API routes are problem+json 404s")
  void health() {
    assertThat(http.get("/health", null).json()).isEqualTo(new JsonObject().put("status", "UP"));
    Response ready = http.get("/ready", admin);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getJsonObject("writer").fieldNames()).contains("queueDepth", "batches", "commands");
    assertThat(ready.json().getJsonObject("writer").getLong("term")).as("a single node is the writer").isPositive();
    assertThat(ready.json().getJsonObject("node").getString("seat")).isEqualTo("writer");
    assertThat(ready.json().getJsonObject("node").getString("id"))
      .isEqualTo(ready.json().getJsonObject("writer").getString("node"));
    Response missing = http.get("/api/nothing/here", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("content-type")).isEqualTo("application/problem+json");
    assertThat(http.get("/", null).text()).contains("Open Codelabs");
  }

  @Test
  @DisplayName("an attendee's who-am-I shows its codelab and CSRF value, and no facilitator")
  void attendeeWhoAmI() {
    String id = codelab(admin);
    Response joined = http.post("/api/codelabs/" + id + "/attendees", null, new JsonObject()
      .put("nickname", "wim").put("personalCode", "wim-4821"));
    String cookie = joined.header("set-cookie").split(";")[0];
    Response me = http.send(HttpMethod.GET, "/api/auth/me", null, null,
      MultiMap.caseInsensitiveMultiMap().add("Cookie", cookie));
    assertThat(me.json().getValue("facilitator")).isNull();
    JsonObject attendee = me.json().getJsonObject("attendee");
    assertThat(attendee.getString("codelabId")).isEqualTo(id);
    assertThat(attendee.getString("name")).isEqualTo("wim");
    assertThat(attendee.getString("csrfToken")).isEqualTo(joined.json().getString("csrfToken"));
  }
}

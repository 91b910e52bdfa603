package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.Node;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Sign-in, cookies, CSRF and facilitator accounts")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthApiTest extends NodeTestBase {

  @Test
  @DisplayName("the first facilitator signs in with the printed password; a wrong one is 401")
  void login() {
    Response ok = http.post("/api/auth/login", null, new JsonObject()
      .put("username", Node.FIRST_FACILITATOR).put("password", node.createdPassword));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getJsonObject("facilitator").getString("username")).isEqualTo("admin");
    assertThat(ok.json().getJsonObject("facilitator").containsKey("passwordHash")).isFalse();
    assertThat(ok.json().getString("csrfToken")).isNotBlank();
    assertThat(ok.json().containsKey("token")).isFalse();
    assertThat(ok.header("set-cookie")).contains("codelabs_fac=").contains("HTTPOnly").contains("SameSite=Strict");

    Response wrong = http.post("/api/auth/login", null, new JsonObject()
      .put("username", "admin").put("password", "not-it"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.header("content-type")).isEqualTo("application/problem+json");
    assertThat(wrong.json().getInteger("status")).isEqualTo(401);

    Response unknown = http.post("/api/auth/login", null, new JsonObject()
      .put("username", "nobody").put("password", "whatever"));
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().getString("detail")).isEqualTo(wrong.json().getString("detail"));
  }

  @Test
  @DisplayName("a login body that breaks the contract is 400 with the reason")
  void invalidLogin() {
    Response missing = http.post("/api/auth/login", null, new JsonObject().put("username", "admin"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getString("detail")).contains("password");

    Response extra = http.post("/api/auth/login", null, new JsonObject()
      .put("username", "admin").put("password", "x").put("role", "owner"));
    assertThat(extra.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("cookie sessions need the CSRF header for writes, not for reads")
  void cookieNeedsCsrf() {
    Response login = http.post("/api/auth/login", null, new JsonObject()
      .put("username", "admin").put("password", node.createdPassword));
    String cookie = login.header("set-cookie").split(";")[0];
    String csrf = login.json().getString("csrfToken");
    JsonObject body = new JsonObject().put("title", unique("Cookie lab "));

    Response read = http.send(HttpMethod.GET, "/api/codelabs", null, null, headers("Cookie", cookie));
    assertThat(read.status()).isEqualTo(200);

    Response noHeader = http.send(HttpMethod.POST, "/api/codelabs", null, body, headers("Cookie", cookie));
    assertThat(noHeader.status()).isEqualTo(403);
    assertThat(noHeader.json().getString("detail")).contains("X-CSRF-Token");

    Response wrongHeader = http.send(HttpMethod.POST, "/api/codelabs", null, body,
      headers("Cookie", cookie).add("X-CSRF-Token", "forged"));
    assertThat(wrongHeader.status()).isEqualTo(403);

    Response withHeader = http.send(HttpMethod.POST, "/api/codelabs", null, body,
      headers("Cookie", cookie).add("X-CSRF-Token", csrf));
    assertThat(withHeader.status()).isEqualTo(201);

    Response me = http.send(HttpMethod.GET, "/api/auth/me", null, null, headers("Cookie", cookie));
    assertThat(me.json().getJsonObject("facilitator").getString("csrfToken")).isEqualTo(csrf);
    assertThat(me.json().getValue("attendee")).isNull();
  }

  @Test
  @DisplayName("logout clears both cookies")
  void logout() {
    Response out = http.post("/api/auth/logout", null, null);
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.headers().getAll("set-cookie"))
      .anySatisfy(c -> assertThat(c).startsWith("codelabs_fac=;").contains("Max-Age=0"))
      .anySatisfy(c -> assertThat(c).startsWith("codelabs_att=;").contains("Max-Age=0"));
  }

  @Test
  @DisplayName("a facilitator creates another; duplicates 409, anonymous 401, attendees 403, weak input 400")
  void createFacilitator() {
    String username = unique("kim");
    Response created = http.post("/api/facilitators", admin, new JsonObject()
      .put("username", username).put("displayName", "Kim").put("password", "a long enough secret"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("displayName")).isEqualTo("Kim");
    assertThat(http.login(username, "a long enough secret")).isNotBlank();

    Response duplicate = http.post("/api/facilitators", admin, new JsonObject()
      .put("username", username.toUpperCase()).put("password", "a long enough secret"));
    assertThat(duplicate.status()).isEqualTo(409);

    Response anonymous = http.post("/api/facilitators", null, new JsonObject()
      .put("username", unique("x")).put("password", "a long enough secret"));
    assertThat(anonymous.status()).isEqualTo(401);

    String attendee = attendee(codelab(admin), "eve");
    Response byAttendee = http.post("/api/facilitators", attendee, new JsonObject()
      .put("username", unique("x")).put("password", "a long enough secret"));
    assertThat(byAttendee.status()).isEqualTo(403);

    Response weak = http.post("/api/facilitators", admin, new JsonObject()
      .put("username", unique("x")).put("password", "short"));
    assertThat(weak.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("a forged or expired-looking token is 401")
  void forgedToken() {
    Response forged = http.get("/api/codelabs", admin.substring(0, admin.length() - 4) + "AAAA");
    assertThat(forged.status()).isEqualTo(401);
  }

  private static MultiMap headers(String name, String value) {
    return MultiMap.caseInsensitiveMultiMap().add(name, value);
  }
}

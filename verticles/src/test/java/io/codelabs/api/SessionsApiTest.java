package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Http.Response;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Server-side sessions, revocation and the admin role over REST")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionsApiTest extends NodeTestBase {
  private static final String PASSWORD = "correct horse battery";

  @Test
  @DisplayName("a Bearer token is refused right after its sign-out; other sessions of the account go on")
  void bearerLogout() {
    String username = unique("out");
    String token = newFacilitator(username);
    String other = http.login(username, PASSWORD);
    assertThat(http.get("/api/codelabs", token).status()).isEqualTo(200);

    assertThat(http.post("/api/auth/logout", token, null).status()).isEqualTo(204);

    Response after = http.get("/api/codelabs", token);
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.header("content-type")).isEqualTo("application/problem+json");
    assertThat(after.json().getString("detail")).contains("session has ended");
    assertThat(http.get("/api/codelabs", other).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a cookie session is refused right after its sign-out, even with the old cookie replayed")
  void cookieLogout() {
    Response login = http.post("/api/auth/login", null, new JsonObject()
      .put("username", Node.FIRST_FACILITATOR).put("password", node.createdPassword));
    String cookie = login.header("set-cookie").split(";")[0];
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Cookie", cookie);
    assertThat(http.send(HttpMethod.GET, "/api/codelabs", null, null, headers).status()).isEqualTo(200);

    Response out = http.send(HttpMethod.POST, "/api/auth/logout", null, null, headers);
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.headers().getAll("set-cookie")).anySatisfy(c -> assertThat(c).startsWith("codelabs_fac=;"));

    assertThat(http.send(HttpMethod.GET, "/api/codelabs", null, null, headers).status()).isEqualTo(401);
    Response me = http.send(HttpMethod.GET, "/api/auth/me", null, null, headers);
    assertThat(me.json().getValue("facilitator")).isNull();
  }

  @Test
  @DisplayName("an attendee's token is refused after its sign-out")
  void attendeeLogout() {
    String codelabId = codelab(admin);
    String token = attendee(codelabId, unique("neo"));
    assertThat(http.get("/api/codelabs/" + codelabId + "/chat", token).status()).isEqualTo(200);
    assertThat(http.post("/api/auth/logout", token, null).status()).isEqualTo(204);
    assertThat(http.get("/api/codelabs/" + codelabId + "/chat", token).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("another API verticle instance refuses a signed-out token too")
  void otherInstanceRefuses() {
    HttpApiVerticle second = new HttpApiVerticle();
    node.vertx.deployVerticle(second, new DeploymentOptions()
      .setConfig(TestNode.config(dataDir, new JsonObject()).json())).await();
    Http secondHttp = new Http(node.vertx, second.actualPort());
    try {
      String token = newFacilitator(unique("two"));
      assertThat(secondHttp.get("/api/codelabs", token).status()).isEqualTo(200);
      assertThat(http.post("/api/auth/logout", token, null).status()).isEqualTo(204);
      assertThat(secondHttp.get("/api/codelabs", token).status()).isEqualTo(401);
    } finally {
      secondHttp.close();
    }
  }

  @Test
  @DisplayName("a correctly signed token without exp is refused; the same with exp is accepted")
  void tokenWithoutExpiry() {
    JWTAuth signer = signer();
    JsonObject claims = new JsonObject().put("role", "FACILITATOR").put("name", "Administrator").put("csrf", "x")
      .put("jti", UUID.randomUUID().toString()).put("iat", System.currentTimeMillis() / 1000.0);
    String forever = signer.generateToken(claims.copy(), new JWTOptions().setSubject(adminId()).setNoTimestamp(true));
    String expiring = signer.generateToken(claims.copy(), new JWTOptions().setSubject(adminId()).setNoTimestamp(true)
      .setExpiresInSeconds(60));

    Response refused = http.get("/api/codelabs", forever);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().getString("detail")).contains("no expiry");
    assertThat(http.get("/api/codelabs", expiring).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a password change needs the current password, ends the other sessions and keeps this client signed in")
  void changePassword() {
    String username = unique("pw");
    String first = newFacilitator(username);
    String second = http.login(username, PASSWORD);

    Response wrong = http.post("/api/auth/password", first, new JsonObject()
      .put("currentPassword", "not my password").put("newPassword", "a brand new secret"));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(http.get("/api/codelabs", second).status()).isEqualTo(200);

    Response changed = http.post("/api/auth/password", first, new JsonObject()
      .put("currentPassword", PASSWORD).put("newPassword", "a brand new secret"));
    assertThat(changed.status()).isEqualTo(200);
    String fresh = changed.json().getString("token");

    assertThat(http.get("/api/codelabs", first).status()).isEqualTo(401);
    assertThat(http.get("/api/codelabs", second).status()).isEqualTo(401);
    assertThat(http.get("/api/codelabs", fresh).status()).isEqualTo(200);
    assertThat(http.login(username, "a brand new secret")).isNotBlank();
    assertThat(audit("facilitator.password-change")).contains(username);
  }

  @Test
  @DisplayName("only the admin creates and lists facilitators; others get a 403 problem")
  void onlyAdminManagesAccounts() {
    String username = unique("plain");
    String plain = newFacilitator(username);

    Response create = http.post("/api/facilitators", plain, new JsonObject()
      .put("username", unique("x")).put("password", PASSWORD));
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.header("content-type")).isEqualTo("application/problem+json");
    assertThat(http.get("/api/facilitators", plain).status()).isEqualTo(403);
    assertThat(http.patch("/api/facilitators/" + adminId(), plain, new JsonObject().put("disabled", true)).status())
      .isEqualTo(403);
    assertThat(http.post("/api/facilitators/" + adminId() + "/password", plain,
      new JsonObject().put("password", PASSWORD)).status()).isEqualTo(403);

    Response list = http.get("/api/facilitators", admin);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().getJsonArray("facilitators").stream().map(JsonObject.class::cast))
      .anySatisfy(f -> {
        assertThat(f.getString("username")).isEqualTo(Node.FIRST_FACILITATOR);
        assertThat(f.getBoolean("admin")).isTrue();
      })
      .anySatisfy(f -> {
        assertThat(f.getString("username")).isEqualTo(username);
        assertThat(f.getBoolean("admin")).isFalse();
        assertThat(f.getBoolean("disabled")).isFalse();
      })
      .allSatisfy(f -> assertThat(f.containsKey("passwordHash")).isFalse());
    assertThat(audit("facilitator.create")).contains(username);
  }

  @Test
  @DisplayName("a disabled account loses its sessions and cannot sign in until enabled; the admin cannot disable itself")
  void disableAndEnable() {
    String username = unique("dis");
    String token = newFacilitator(username);
    String id = facilitatorId(username);

    Response disabled = http.patch("/api/facilitators/" + id, admin, new JsonObject().put("disabled", true));
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.json().getBoolean("disabled")).isTrue();
    assertThat(http.get("/api/codelabs", token).status()).isEqualTo(401);
    Response login = http.post("/api/auth/login", null, new JsonObject().put("username", username).put("password", PASSWORD));
    assertThat(login.status()).isEqualTo(403);

    Response self = http.patch("/api/facilitators/" + adminId(), admin, new JsonObject().put("disabled", true));
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.json().getString("detail")).contains("admin");
    assertThat(http.get("/api/codelabs", admin).status()).isEqualTo(200);

    assertThat(http.patch("/api/facilitators/" + id, admin, new JsonObject().put("disabled", false)).status())
      .isEqualTo(200);
    assertThat(http.get("/api/codelabs", token).status()).as("a session ended stays ended").isEqualTo(401);
    assertThat(http.get("/api/codelabs", http.login(username, PASSWORD)).status()).isEqualTo(200);
    assertThat(audit("facilitator.disable")).contains(username);
    assertThat(audit("facilitator.enable")).contains(username);
  }

  @Test
  @DisplayName("an admin password reset ends the account's sessions; the new password signs in")
  void resetPassword() {
    String username = unique("reset");
    String token = newFacilitator(username);
    Response reset = http.post("/api/facilitators/" + facilitatorId(username) + "/password", admin,
      new JsonObject().put("password", "the reset password"));
    assertThat(reset.status()).isEqualTo(200);
    assertThat(http.get("/api/codelabs", token).status()).isEqualTo(401);
    assertThat(http.login(username, "the reset password")).isNotBlank();
    assertThat(audit("facilitator.password-reset")).contains(username);
  }

  @Test
  @DisplayName("/ready tells anyone only the status; the admin also gets the details")
  void readyDetailsForAdminOnly() {
    Response anonymous = http.get("/ready", null);
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.json()).isEqualTo(new JsonObject().put("status", "READY"));

    Response plain = http.get("/ready", newFacilitator(unique("rd")));
    assertThat(plain.json()).isEqualTo(new JsonObject().put("status", "READY"));

    Response detailed = http.get("/ready", admin);
    assertThat(detailed.json().getString("status")).isEqualTo("READY");
    assertThat(detailed.json().getJsonObject("writer").getLong("term")).isPositive();
    assertThat(detailed.json().getJsonObject("node").getString("seat")).isEqualTo("writer");
    assertThat(detailed.json().containsKey("uploads")).isTrue();
  }

  private static JWTAuth signer() {
    String secret = node.vertx.eventBus().<JsonObject>request(Address.AUTH_KEYS.address, new JsonObject())
      .map(Message::body).await().getString("signingSecret");
    return JWTAuth.create(node.vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  private static String adminId() {
    return facilitatorId(Node.FIRST_FACILITATOR);
  }

  private static String facilitatorId(String username) {
    return node.vertx.eventBus().<JsonObject>request(Address.FACILITATOR_FIND.address,
      new JsonObject().put("username", username)).map(Message::body).await().getString("id");
  }

  /** The audit entries of an action, as one text, read from the SQLite file the writer keeps. */
  private static String audit(String action) {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("codelabs.db"));
         PreparedStatement query = connection.prepareStatement("SELECT detail FROM audit_log WHERE action = ?")) {
      query.setString(1, action);
      StringBuilder details = new StringBuilder();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          details.append(rows.getString(1)).append('\n');
        }
      }
      return details.toString();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

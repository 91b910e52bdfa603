package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** API keys on REST: created and shown once, listed without secrets, stored hashed, scoped, limited, revoked. */
@DisplayName("API keys over REST")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiKeysApiTest extends NodeTestBase {

  private static JsonObject create(String token, String name, JsonArray scopes, String codelabId) {
    Response created = http.post("/api/keys", token, new JsonObject().put("name", name).put("scopes", scopes)
      .put("codelabId", codelabId));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.json();
  }

  private static String key(String token, String codelabId, String... scopes) {
    return create(token, unique("key "), new JsonArray(List.of(scopes)), codelabId).getString("key");
  }

  private static JsonObject listed(String token, String keyId) {
    Response list = http.get("/api/keys", token);
    assertThat(list.status()).isEqualTo(200);
    return list.json().getJsonArray("keys").stream().map(JsonObject.class::cast)
      .filter(key -> key.getString("id").equals(keyId)).findFirst().orElse(null);
  }

  private static Connection database() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("codelabs.db").toAbsolutePath());
  }

  @Test
  @DisplayName("the key is shown once; the list never carries it; its use shows as last used; revoking refuses it at once")
  void createListRevoke() {
    String codelabId = codelab(admin);
    JsonObject created = create(admin, "Help bot", new JsonArray().add("events:read"), codelabId);
    String key = created.getString("key");
    String keyId = created.getString("id");
    assertThat(key).startsWith("clk_" + keyId + "_");
    String secret = key.substring(("clk_" + keyId + "_").length());

    Response list = http.get("/api/keys", admin);
    assertThat(list.text()).doesNotContain(secret).doesNotContain("secretHash").doesNotContain("\"key\"");
    JsonObject before = listed(admin, keyId);
    assertThat(before.getString("name")).isEqualTo("Help bot");
    assertThat(before.getJsonArray("scopes")).containsExactly("events:read");
    assertThat(before.getString("codelabId")).isEqualTo(codelabId);
    assertThat(before.getValue("lastUsedAt")).isNull();
    assertThat(before.getValue("revokedAt")).isNull();

    assertThat(http.get("/api/codelabs/" + codelabId + "/events?after=0", key).status()).isEqualTo(200);
    // The use is reported to the writer before the answer; a later command behind it in the writer's queue commits after it.
    create(admin, unique("later "), new JsonArray().add("events:read"), null);
    assertThat(listed(admin, keyId).getLong("lastUsedAt")).isNotNull();

    assertThat(http.delete("/api/keys/" + keyId, admin).status()).isEqualTo(204);
    Response refused = http.get("/api/codelabs/" + codelabId + "/events?after=0", key);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(listed(admin, keyId).getLong("revokedAt")).isNotNull();
    assertThat(http.delete("/api/keys/" + keyId, admin).status()).as("revoking again changes nothing").isEqualTo(204);
  }

  @Test
  @DisplayName("the database keeps the secret's SHA-256, never the key, and audits creation and revocation")
  void hashedAndAudited() throws Exception {
    JsonObject created = create(admin, "Stored", new JsonArray().add("results:read"), null);
    String keyId = created.getString("id");
    String key = created.getString("key");
    String secret = key.substring(("clk_" + keyId + "_").length());
    assertThat(http.delete("/api/keys/" + keyId, admin).status()).isEqualTo(204);
    try (Connection db = database()) {
      List<String> cells = new ArrayList<>();
      try (PreparedStatement query = db.prepareStatement("SELECT * FROM api_keys WHERE id = ?")) {
        query.setString(1, keyId);
        try (ResultSet row = query.executeQuery()) {
          assertThat(row.next()).isTrue();
          for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
            cells.add(String.valueOf(row.getObject(column)));
          }
          assertThat(row.getString("secret_hash")).isEqualTo(HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8))));
        }
      }
      assertThat(cells).noneMatch(cell -> cell.contains(secret));
      List<String> actions = new ArrayList<>();
      try (PreparedStatement query = db.prepareStatement(
        "SELECT action, detail FROM audit_log WHERE detail LIKE ? ORDER BY id")) {
        query.setString(1, "%" + keyId + "%");
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            actions.add(rows.getString("action"));
            assertThat(rows.getString("detail")).doesNotContain(secret);
          }
        }
      }
      assertThat(actions).containsExactly("apikey.create", "apikey.revoke");
    }
  }

  @Test
  @DisplayName("each scope opens its routes and no other; no key reaches accounts, keys or codelab content")
  void scopesOnRest() {
    String codelabId = codelab(admin);
    String events = key(admin, null, "events:read");
    String commands = key(admin, null, "commands:write");
    String results = key(admin, null, "results:read");
    String base = "/api/codelabs/" + codelabId;
    JsonObject announcement = new JsonObject().put("text", "Lunch at 12");

    assertThat(http.get(base + "/events?after=0", events).status()).isEqualTo(200);
    assertThat(http.get(base + "/help", events).status()).isEqualTo(200);
    assertThat(http.get(base + "/pacing", events).status()).isEqualTo(200);
    Response eventsPosts = http.post(base + "/announcements", events, announcement);
    assertThat(eventsPosts.status()).isEqualTo(403);
    assertThat(eventsPosts.header("Content-Type")).startsWith("application/problem+json");
    assertThat(eventsPosts.json().getString("detail")).contains("commands:write");
    assertThat(http.get(base + "/results", events).status()).isEqualTo(403);

    assertThat(http.post(base + "/announcements", commands, announcement).status()).isEqualTo(201);
    assertThat(http.post(base + "/pacing/hold", commands, new JsonObject().put("step", 1)).status()).isEqualTo(200);
    assertThat(http.get(base + "/events?after=0", commands).status()).isEqualTo(403);
    assertThat(http.get(base + "/results", commands).status()).isEqualTo(403);

    assertThat(http.get(base + "/results", results).status()).isEqualTo(200);
    assertThat(http.get(base + "/results.csv", results).status()).isEqualTo(200);
    assertThat(http.get(base + "/submissions", results).status()).isEqualTo(200);
    assertThat(http.get(base + "/events?after=0", results).status()).isEqualTo(403);

    String all = key(admin, null, "events:read", "commands:write", "results:read");
    assertThat(http.get("/api/keys", all).status()).isEqualTo(403);
    assertThat(http.post("/api/keys", all, new JsonObject().put("name", "more").put("scopes", new JsonArray()
      .add("events:read"))).status()).isEqualTo(403);
    assertThat(http.get("/api/codelabs", all).status()).isEqualTo(403);
    assertThat(http.post("/api/codelabs", all, new JsonObject().put("title", "New")).status()).isEqualTo(403);
    assertThat(http.patch(base, all, new JsonObject().put("title", "Renamed")).status()).isEqualTo(403);
    assertThat(http.get("/api/facilitators", all).status()).isEqualTo(403);
    assertThat(http.post("/api/auth/password", all, new JsonObject().put("currentPassword", "x")
      .put("newPassword", "another long secret")).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("a key of one codelab is refused on another, and only codelabs its facilitator runs can be chosen")
  void codelabScoped() {
    String mine = codelab(admin);
    String other = codelab(admin);
    String key = key(admin, mine, "events:read");
    assertThat(http.get("/api/codelabs/" + mine + "/events?after=0", key).status()).isEqualTo(200);
    Response refused = http.get("/api/codelabs/" + other + "/events?after=0", key);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("detail")).contains("another codelab");

    String kim = newFacilitator(unique("kim"));
    Response notHers = http.post("/api/keys", kim, new JsonObject().put("name", "x")
      .put("scopes", new JsonArray().add("events:read")).put("codelabId", mine));
    assertThat(notHers.status()).isEqualTo(403);
    String kimsAll = key(kim, null, "events:read");
    assertThat(http.get("/api/codelabs/" + mine + "/events?after=0", kimsAll).status())
      .as("a key never reaches further than its facilitator").isEqualTo(403);
  }

  @Test
  @DisplayName("an expired key is refused, and an expiry in the past is not accepted")
  void expiredRefused() throws Exception {
    String codelabId = codelab(admin);
    Response past = http.post("/api/keys", admin, new JsonObject().put("name", "old")
      .put("scopes", new JsonArray().add("events:read")).put("expiresAt", System.currentTimeMillis() - 1000));
    assertThat(past.status()).isEqualTo(400);
    Response created = http.post("/api/keys", admin, new JsonObject().put("name", "soon")
      .put("scopes", new JsonArray().add("events:read")).put("expiresAt", System.currentTimeMillis() + 3_600_000));
    assertThat(created.status()).isEqualTo(201);
    try (Connection db = database();
         PreparedStatement expire = db.prepareStatement("UPDATE api_keys SET expires_at = ? WHERE id = ?")) {
      expire.setLong(1, System.currentTimeMillis() - 1);
      expire.setString(2, created.json().getString("id"));
      assertThat(expire.executeUpdate()).isEqualTo(1);
    }
    assertThat(http.get("/api/codelabs/" + codelabId + "/events?after=0", created.json().getString("key")).status())
      .isEqualTo(401);
  }

  @Test
  @DisplayName("a wrong secret, an unknown key and a malformed one all answer the same 401")
  void wrongKeys() {
    String codelabId = codelab(admin);
    String key = key(admin, null, "events:read");
    String path = "/api/codelabs/" + codelabId + "/events?after=0";
    String wrongSecret = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
    String unknownId = "clk_" + "0".repeat(24) + key.substring(key.lastIndexOf('_') - 0);
    List<Response> refused = List.of(http.get(path, wrongSecret), http.get(path, unknownId), http.get(path, "clk_nope"));
    assertThat(refused).allSatisfy(response -> assertThat(response.status()).isEqualTo(401));
    assertThat(refused.stream().map(response -> response.json().getString("detail")).distinct()).hasSize(1);
    assertThat(http.get(path, key).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("facilitators see and revoke only their own keys; the admin sees and revokes everyone's")
  void ownersAndAdmin() {
    String kim = newFacilitator(unique("kim"));
    String lee = newFacilitator(unique("lee"));
    JsonObject kims = create(kim, "Kim's bot", new JsonArray().add("events:read"), null);
    String keyId = kims.getString("id");
    assertThat(listed(lee, keyId)).isNull();
    assertThat(http.delete("/api/keys/" + keyId, lee).status()).isEqualTo(404);
    assertThat(listed(admin, keyId)).isNotNull();
    assertThat(http.delete("/api/keys/" + keyId, admin).status()).isEqualTo(204);
    assertThat(listed(kim, keyId).getLong("revokedAt")).isNotNull();
  }

  @Test
  @DisplayName("a facilitator has at most 50 active keys; disabling the account refuses its keys")
  void boundedAndDisabled() {
    String username = unique("many");
    String token = newFacilitator(username);
    String codelabId = codelab(token);
    String first = key(token, null, "events:read");
    for (int i = 1; i < 50; i++) {
      key(token, null, "events:read");
    }
    Response tooMany = http.post("/api/keys", token, new JsonObject().put("name", "one more")
      .put("scopes", new JsonArray().add("events:read")));
    assertThat(tooMany.status()).isEqualTo(409);
    assertThat(http.get("/api/codelabs/" + codelabId + "/events?after=0", first).status()).isEqualTo(200);
    String facilitatorId = http.get("/api/facilitators", admin).json().getJsonArray("facilitators").stream()
      .map(JsonObject.class::cast).filter(f -> f.getString("username").equals(username)).findFirst().orElseThrow()
      .getString("id");
    assertThat(http.patch("/api/facilitators/" + facilitatorId, admin, new JsonObject().put("disabled", true)).status())
      .isEqualTo(200);
    assertThat(http.get("/api/codelabs/" + codelabId + "/events?after=0", first).status()).isEqualTo(401);
  }
}

package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Http.Response;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.persistence.PersistenceVerticle;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The node trusts X-Forwarded-For, so each test signs in from addresses of its own. */
@DisplayName("The audit log: what is recorded, its filters, pages and CSV export")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditApiTest {
  private static final String PASSWORD = "correct horse battery";
  private static final int SIGN_IN_PER_SOURCE = 8;
  private static final AtomicInteger SOURCES = new AtomicInteger();

  @TempDir
  static Path dataDir;
  static Node node;
  static Http http;
  static String admin;

  @BeforeAll
  static void start() {
    node = TestNode.start(dataDir, new JsonObject()
      .put(HttpApiVerticle.TRUST_FORWARDED_FOR, true)
      .put(PersistenceVerticle.SIGN_IN_PER_SOURCE, SIGN_IN_PER_SOURCE));
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  @AfterAll
  static void stop() {
    http.close();
    node.stop().await();
  }

  @Test
  @DisplayName("each filter narrows to its entries: actor by id or name, codelab by id or short code, action, time")
  void filtersNarrow() {
    String username = unique("kim");
    newFacilitator(username);
    JsonObject kim = signIn(username, newSource());
    String kimId = kim.getJsonObject("facilitator").getString("id");
    String token = kim.getString("token");
    String codelabId = codelab(token, unique("Lab "));
    String otherCodelab = codelab(token, unique("Lab "));
    http.join(codelabId, unique("neo"), "code-neo-12345");

    List<JsonObject> byName = entries("actor=" + username);
    assertThat(byName).isNotEmpty().allSatisfy(entry -> assertThat(entry.getString("actorId")).isEqualTo(kimId));
    assertThat(byName).extracting(entry -> entry.getString("action"))
      .contains("account.signin", "codelab.create");
    assertThat(entries("actor=" + kimId)).isEqualTo(byName);

    List<JsonObject> inCodelab = entries("codelab=" + codelabId);
    assertThat(inCodelab).allSatisfy(entry -> assertThat(entry.getString("codelabId")).isEqualTo(codelabId));
    assertThat(inCodelab).extracting(entry -> entry.getString("action")).contains("codelab.create", "attendee.join");
    String shortCode = http.get("/api/codelabs/" + codelabId, token).json().getString("shortCode");
    assertThat(entries("codelab=" + shortCode)).isEqualTo(inCodelab);
    assertThat(entries("codelab=" + otherCodelab)).extracting(entry -> entry.getString("action"))
      .containsExactly("codelab.create");

    assertThat(entries("action=attendee.join")).isNotEmpty()
      .allSatisfy(entry -> assertThat(entry.getString("action")).isEqualTo("attendee.join"));
    List<JsonObject> accounts = entries("action=account.");
    assertThat(accounts).allSatisfy(entry -> assertThat(entry.getString("action")).startsWith("account."));
    assertThat(accounts).extracting(entry -> entry.getString("action")).contains("account.signin");

    long at = inCodelab.get(0).getLong("at");
    List<JsonObject> thatMillisecond = entries("from=" + at + "&to=" + (at + 1));
    assertThat(thatMillisecond).isNotEmpty().allSatisfy(entry -> assertThat(entry.getLong("at")).isEqualTo(at));
    assertThat(entries("from=" + (System.currentTimeMillis() + 60_000))).isEmpty();
    assertThat(entries("to=" + at)).allSatisfy(entry -> assertThat(entry.getLong("at")).isLessThan(at));
  }

  @Test
  @DisplayName("pages cut at an entry id neither repeat nor skip entries while new ones are written")
  void pagesAreStableWhileEntriesArrive() {
    String codelabId = codelab(admin, unique("Paged "));
    IntStream.range(0, 7).forEach(i -> http.join(codelabId, unique("p"), "code-page-12345"));
    List<Long> before = ids(entries("codelab=" + codelabId + "&limit=200"));
    assertThat(before).hasSize(8);

    List<Long> paged = new ArrayList<>();
    JsonObject page = page("codelab=" + codelabId + "&limit=3");
    while (true) {
      page.getJsonArray("entries").forEach(entry -> paged.add(((JsonObject) entry).getLong("id")));
      http.join(codelabId, unique("late"), "code-late-12345");
      if (page.getValue("next") == null) {
        break;
      }
      page = page("codelab=" + codelabId + "&limit=3&before=" + page.getLong("next"));
    }

    assertThat(paged).isEqualTo(before);
    assertThat(entries("codelab=" + codelabId + "&limit=200")).hasSize(8 + 3);
  }

  @Test
  @DisplayName("the CSV export holds the JSON entries, across several pages, with formula cells neutralised")
  void csvMatchesJson() throws SQLException {
    String title = "=HYPERLINK(\"http://evil\",\"x\") " + UUID.randomUUID();
    String codelabId = codelab(admin, title);
    http.join(codelabId, "+neo", "code-neo-12345");
    insertEntries(codelabId, 1_150);

    List<JsonObject> json = new ArrayList<>();
    JsonObject page = page("codelab=" + codelabId + "&limit=200");
    while (true) {
      page.getJsonArray("entries").forEach(entry -> json.add((JsonObject) entry));
      if (page.getValue("next") == null) {
        break;
      }
      page = page("codelab=" + codelabId + "&limit=200&before=" + page.getLong("next"));
    }
    Response csv = http.get("/api/audit.csv?codelab=" + codelabId, admin);

    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("content-type")).startsWith("text/csv");
    List<List<String>> rows = parseCsv(csv.text().substring(1));
    assertThat(rows.get(0)).containsExactly("id", "time", "actorRole", "actorId", "actorName", "action",
      "codelabId", "codelabTitle", "source", "detail");
    assertThat(rows).hasSize(json.size() + 1).hasSizeGreaterThan(1_150);
    for (int i = 0; i < json.size(); i++) {
      JsonObject entry = json.get(i);
      List<String> row = rows.get(i + 1);
      assertThat(row.get(0)).isEqualTo(entry.getLong("id").toString());
      assertThat(row.get(1)).isEqualTo(Instant.ofEpochMilli(entry.getLong("at")).toString());
      assertThat(row.get(2)).isEqualTo(entry.getString("actorRole"));
      assertThat(row.get(3)).isEqualTo(entry.getString("actorId"));
      assertThat(row.get(4)).isEqualTo(spreadsheetSafe(entry.getString("actorName")));
      assertThat(row.get(5)).isEqualTo(entry.getString("action"));
      assertThat(row.get(6)).isEqualTo(entry.getString("codelabId"));
      assertThat(row.get(7)).isEqualTo("'" + title);
      assertThat(row.get(8)).isEqualTo(entry.getString("source") == null ? "" : spreadsheetSafe(entry.getString("source")));
      assertThat(new JsonObject(row.get(9))).isEqualTo(entry.getJsonObject("detail"));
    }
    assertThat(rows).anySatisfy(row -> assertThat(row.get(4)).isEqualTo("'+neo"));
    assertThat(rows).anySatisfy(row -> assertThat(row.get(8)).isEqualTo("'@10.0.0.1"));
  }

  @Test
  @DisplayName("a facilitator, an attendee and a stranger are refused with problem+json")
  void onlyTheAdminReads() {
    String facilitator = newFacilitator(unique("lee"));
    String attendee = http.join(codelab(admin, unique("Lab ")), unique("a"), "code-a-123456").getString("token");
    for (String path : List.of("/api/audit", "/api/audit.csv")) {
      Response byFacilitator = http.get(path, facilitator);
      assertThat(byFacilitator.status()).isEqualTo(403);
      assertThat(byFacilitator.header("content-type")).isEqualTo("application/problem+json");
      assertThat(http.get(path, attendee).status()).isEqualTo(403);
      Response anonymous = http.get(path, null);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.header("content-type")).isEqualTo("application/problem+json");
    }
  }

  @Test
  @DisplayName("failed sign-ins are audited with a truncated username, never the password, and a guessing loop adds few entries")
  void failedSignInsAreBounded() throws SQLException {
    String source = newSource();
    String password = "guess-" + UUID.randomUUID();
    String username = "x".repeat(40) + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 4; i++) {
      assertThat(signInFrom(username, password, source).status()).isEqualTo(401);
    }
    List<JsonObject> failed = entries("actor=" + source + "&action=account.signin-failed");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).getString("source")).isEqualTo(source);
    assertThat(failed.get(0).getJsonObject("detail").getString("username")).isEqualTo("x".repeat(32));
    assertThat(failed.get(0).getJsonObject("detail").getInteger("count")).isEqualTo(4);

    String sprayer = newSource();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      statuses.add(signInFrom("spray" + i, password, sprayer).status());
    }
    assertThat(statuses).contains(401, 429);
    List<JsonObject> sprayed = entries("actor=" + sprayer + "&limit=200");
    assertThat(sprayed).hasSizeLessThanOrEqualTo(SIGN_IN_PER_SOURCE + 1);
    assertThat(countRows("SELECT count(*) FROM audit_log WHERE detail LIKE ? OR actor_id LIKE ? OR source LIKE ?",
      "%" + password + "%")).isZero();
  }

  @Test
  @DisplayName("sign-in, sign-out, account changes and joins are audited with their source; a refused change writes nothing")
  void accountChangesAreAudited() {
    String username = unique("park");
    newFacilitator(username);
    String source = newSource();
    JsonObject signedIn = signIn(username, source);
    String parkId = signedIn.getJsonObject("facilitator").getString("id");
    assertThat(http.send(HttpMethod.POST, "/api/auth/logout", signedIn.getString("token"), null, from(source))
      .status()).isEqualTo(204);
    assertThat(http.send(HttpMethod.PATCH, "/api/facilitators/" + parkId, admin,
      new JsonObject().put("disabled", true), from(source)).status()).isEqualTo(200);
    assertThat(http.send(HttpMethod.PATCH, "/api/facilitators/" + parkId, admin,
      new JsonObject().put("disabled", false), from(source)).status()).isEqualTo(200);

    List<JsonObject> own = entries("actor=" + parkId);
    assertThat(own).anySatisfy(entry -> {
      assertThat(entry.getString("action")).isEqualTo("account.signin");
      assertThat(entry.getString("source")).isEqualTo(source);
    });
    assertThat(own).filteredOn(entry -> entry.getString("action").equals("account.signout")).singleElement()
      .satisfies(entry -> assertThat(entry.getString("source")).isEqualTo(source));
    List<JsonObject> changes = entries("action=facilitator.");
    assertThat(changes).filteredOn(entry -> parkId.equals(entry.getJsonObject("detail").getString("facilitatorId")))
      .extracting(entry -> entry.getString("action"))
      .containsExactly("facilitator.enable", "facilitator.disable", "facilitator.create");

    int creates = entries("action=facilitator.create&limit=200").size();
    assertThat(http.post("/api/facilitators", admin, new JsonObject().put("username", username)
      .put("password", PASSWORD)).status()).isEqualTo(409);
    assertThat(entries("action=facilitator.create&limit=200")).hasSize(creates);
    String adminId = entries("actor=" + Node.FIRST_FACILITATOR + "&limit=1").get(0).getString("actorId");
    int disables = entries("action=facilitator.disable&limit=200").size();
    assertThat(http.patch("/api/facilitators/" + adminId, admin, new JsonObject().put("disabled", true)).status())
      .isEqualTo(403);
    assertThat(entries("action=facilitator.disable&limit=200")).hasSize(disables);

    String codelabId = codelab(admin, unique("Closed "));
    String nickname = unique("trin");
    JsonObject joined = http.join(codelabId, nickname, "code-trin-12345");
    List<JsonObject> joins = entries("codelab=" + codelabId + "&action=attendee.join");
    assertThat(joins).singleElement().satisfies(entry -> {
      assertThat(entry.getString("actorId")).isEqualTo(joined.getJsonObject("attendee").getString("id"));
      assertThat(entry.getString("actorName")).isEqualTo(nickname);
      assertThat(entry.getString("actorRole")).isEqualTo("ATTENDEE");
    });
    assertThat(http.patch("/api/codelabs/" + codelabId, admin, new JsonObject().put("joinsClosed", true)).status())
      .isEqualTo(200);
    assertThat(http.post("/api/codelabs/" + codelabId + "/attendees", null, new JsonObject()
      .put("nickname", unique("late")).put("personalCode", "code-late-12345")).status()).isEqualTo(403);
    assertThat(entries("codelab=" + codelabId + "&action=attendee.join")).hasSize(1);
  }

  private static List<JsonObject> entries(String query) {
    List<JsonObject> entries = new ArrayList<>();
    page(query).getJsonArray("entries").forEach(entry -> entries.add((JsonObject) entry));
    return entries;
  }

  private static JsonObject page(String query) {
    Response response = http.get("/api/audit?" + encodeValues(query), admin);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static String encodeValues(String query) {
    return String.join("&", java.util.Arrays.stream(query.split("&")).map(pair -> {
      int equals = pair.indexOf('=');
      return pair.substring(0, equals + 1) + URLEncoder.encode(pair.substring(equals + 1), StandardCharsets.UTF_8);
    }).toList());
  }

  private static List<Long> ids(List<JsonObject> entries) {
    return entries.stream().map(entry -> entry.getLong("id")).toList();
  }

  private static String spreadsheetSafe(String text) {
    return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }

  /** RFC 4180 as the export writes it: quoted cells may hold commas, quotes (doubled) and line breaks. */
  private static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        cell.append(c);
      }
    }
    assertThat(cell).as("the export ends with a line break").isEmpty();
    return rows;
  }

  /** Many entries at once, written beside the writer as another process could, to make the export span pages. */
  private static void insertEntries(String codelabId, int count) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("codelabs.db"))) {
      db.createStatement().execute("PRAGMA busy_timeout = 10000");
      db.setAutoCommit(false);
      try (PreparedStatement insert = db.prepareStatement("INSERT INTO audit_log (at, actor_role, actor_id, action, "
        + "codelab_id, detail, source) VALUES (?, 'SYSTEM', 'bulk', 'material.add', ?, ?, '@10.0.0.1')")) {
        for (int i = 0; i < count; i++) {
          insert.setLong(1, System.currentTimeMillis());
          insert.setString(2, codelabId);
          insert.setString(3, new JsonObject().put("n", i).put("note", "-1+1, \"quoted\"\nline").encode());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      db.commit();
    }
  }

  private static long countRows(String sql, String value) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("codelabs.db"));
         PreparedStatement query = db.prepareStatement(sql)) {
      for (int i = 1; i <= 3; i++) {
        query.setString(i, value);
      }
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getLong(1) : -1;
      }
    }
  }

  private static String codelab(String token, String title) {
    return http.createCodelab(token, new JsonObject().put("title", title).put("steps", new JsonArray()
      .add(new JsonObject().put("title", "One").put("markdown", "Hi").put("durationMinutes", 5))));
  }

  private static String newFacilitator(String username) {
    Response created = http.post("/api/facilitators", admin, new JsonObject()
      .put("username", username).put("password", PASSWORD));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return http.login(username, PASSWORD);
  }

  /** The answer holds token and facilitator. */
  private static JsonObject signIn(String username, String source) {
    Response response = signInFrom(username, PASSWORD, source);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static Response signInFrom(String username, String password, String source) {
    return http.send(HttpMethod.POST, "/api/auth/login", null, new JsonObject().put("username", username)
      .put("password", password).put("delivery", "bearer"), from(source));
  }

  private static MultiMap from(String source) {
    return MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "10.9.9.9, " + source);
  }

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String newSource() {
    int n = SOURCES.incrementAndGet();
    return "203.0." + (113 + n / 250) + "." + (n % 250 + 1);
  }
}

package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Http.Response;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.persistence.PersistenceVerticle;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

/**
 * The node trusts X-Forwarded-For here, so each test guesses from addresses of its own and tests
 * stay independent; limits are the defaults except the per-source ones, lowered to keep hashing short.
 */
@DisplayName("Brute-force limits on sign-in and rejoin")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BruteForceTest {
  private static final int PER_ACCOUNT = 5;
  private static final int SIGN_IN_PER_SOURCE = 12;
  private static final int REJOIN_PER_SOURCE = 8;
  private static final AtomicInteger SOURCES = new AtomicInteger();

  @TempDir
  static Path dataDir;
  static Node node;
  static Http http;
  static WebClient client;
  static String admin;

  @BeforeAll
  static void start() {
    node = TestNode.start(dataDir, new JsonObject()
      .put(HttpApiVerticle.TRUST_FORWARDED_FOR, true)
      .put(PersistenceVerticle.SIGN_IN_PER_SOURCE, SIGN_IN_PER_SOURCE)
      .put(PersistenceVerticle.REJOIN_PER_SOURCE, REJOIN_PER_SOURCE));
    http = new Http(node.vertx, node.httpPort);
    client = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort));
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  @AfterAll
  static void stop() {
    client.close();
    http.close();
    node.stop().await();
  }

  @Test
  @DisplayName("after 5 wrong passwords an existing and an unknown username both get the same 429 with Retry-After")
  void lockoutLooksTheSameForUnknownUsernames() {
    String existing = facilitator();
    String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
    String source = newSource();
    List<Response> existingAnswers = signIns(existing, "wrong password", PER_ACCOUNT + 1, source);
    List<Response> unknownAnswers = signIns(unknown, "wrong password", PER_ACCOUNT + 1, source);

    assertThat(existingAnswers.subList(0, PER_ACCOUNT)).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(401));
    assertThat(unknownAnswers.subList(0, PER_ACCOUNT)).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(401));
    Response existingLocked = existingAnswers.get(PER_ACCOUNT);
    Response unknownLocked = unknownAnswers.get(PER_ACCOUNT);
    assertThat(existingLocked.status()).isEqualTo(429);
    assertThat(existingLocked.header("content-type")).isEqualTo("application/problem+json");
    assertThat(existingLocked.header("Retry-After")).isEqualTo("30");
    assertThat(unknownLocked.status()).isEqualTo(429);
    assertThat(unknownLocked.header("Retry-After")).isEqualTo(existingLocked.header("Retry-After"));
    assertThat(unknownLocked.json()).isEqualTo(existingLocked.json());
    assertThat(existingLocked.json().getString("detail")).contains("retry in 30 seconds");
  }

  @Test
  @DisplayName("a locked-out account refuses even the right password, from any address, until the lockout ends")
  void rightPasswordStillLocked() {
    String username = facilitator();
    signIns(username, "wrong password", PER_ACCOUNT, newSource());
    Response right = signIns(username, "correct horse battery", 1, newSource()).get(0);
    assertThat(right.status()).isEqualTo(429);
    assertThat(right.json().containsKey("token")).isFalse();
    assertThat(Integer.parseInt(right.header("Retry-After"))).isBetween(1, 30);
  }

  @Test
  @DisplayName("a right password before the limit signs in and forgets the account's failures")
  void successForgetsFailures() {
    String username = facilitator();
    String source = newSource();
    signIns(username, "wrong password", PER_ACCOUNT - 1, source);
    assertThat(signIns(username, "correct horse battery", 1, source).get(0).status()).isEqualTo(200);
    assertThat(signIns(username, "wrong password", PER_ACCOUNT - 1, source))
      .allSatisfy(answer -> assertThat(answer.status()).isEqualTo(401));
  }

  @Test
  @DisplayName("32 wrong passwords at once: exactly the limit is verified, the rest get 429")
  void parallelAttemptsAreCounted() {
    String username = facilitator();
    String source = newSource();
    List<Future<HttpResponse<io.vertx.core.buffer.Buffer>>> sent = IntStream.range(0, 32)
      .mapToObj(i -> client.post("/api/auth/login").putHeader("X-Forwarded-For", source)
        .sendJsonObject(new JsonObject().put("username", username).put("password", "guess " + i)))
      .toList();
    Future.all(sent).await();
    List<Integer> statuses = sent.stream().map(answer -> answer.result().statusCode()).toList();
    assertThat(statuses).filteredOn(status -> status == 401).hasSize(PER_ACCOUNT);
    assertThat(statuses).filteredOn(status -> status == 429).hasSize(32 - PER_ACCOUNT);
  }

  @Test
  @DisplayName("one address trying many usernames is locked out by its own limit; other addresses are not")
  void perSourceLimitAcrossUsernames() {
    String source = newSource();
    List<Response> answers = new ArrayList<>();
    for (int i = 0; i <= SIGN_IN_PER_SOURCE; i++) {
      answers.addAll(signIns("sprayed-" + UUID.randomUUID().toString().substring(0, 8), "Summer2026!", 1, source));
    }
    assertThat(answers.subList(0, SIGN_IN_PER_SOURCE)).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(401));
    assertThat(answers.get(SIGN_IN_PER_SOURCE).status()).isEqualTo(429);
    assertThat(answers.get(SIGN_IN_PER_SOURCE).header("Retry-After")).isEqualTo("30");
    assertThat(signIns("sprayed-elsewhere", "Summer2026!", 1, newSource()).get(0).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("a lockout is written to the audit log with the key and the guessing address")
  void lockoutIsAudited() throws Exception {
    String username = facilitator();
    String source = newSource();
    signIns(username, "wrong password", PER_ACCOUNT, source);
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("codelabs.db"));
         PreparedStatement query = db.prepareStatement(
           "SELECT actor_role, action, detail FROM audit_log WHERE actor_id = ? AND action LIKE '%.locked' ORDER BY id")) {
      query.setString(1, source);
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString("actor_role")).isEqualTo("SOURCE");
        assertThat(row.getString("action")).isEqualTo("sign-in.account.locked");
        JsonObject detail = new JsonObject(row.getString("detail"));
        assertThat(detail.getString("key")).isEqualTo(username.toLowerCase());
        assertThat(detail.getInteger("lockedSeconds")).isEqualTo(30);
        assertThat(row.next()).as("one lockout, one row").isFalse();
      }
    }
  }

  @Test
  @DisplayName("guessing an attendee's personal code: 409 a few times, then 429 even for the right code")
  void rejoinGuessingIsLockedOut() {
    String codelabId = codelab();
    http.join(codelabId, "neo", "red-pill-42");
    String source = newSource();
    List<Response> guesses = new ArrayList<>();
    for (int guess = 0; guess <= PER_ACCOUNT; guess++) {
      guesses.add(rejoin(codelabId, "neo", String.format("%06d", guess), source));
    }
    assertThat(guesses.subList(0, PER_ACCOUNT)).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(409));
    assertThat(guesses.get(PER_ACCOUNT).status()).isEqualTo(429);
    assertThat(guesses.get(PER_ACCOUNT).header("Retry-After")).isEqualTo("30");

    Response right = rejoin(codelabId, "NEO", "red-pill-42", newSource());
    assertThat(right.status()).as("the right code while the nickname is locked out").isEqualTo(429);
    assertThat(right.json().containsKey("attendee")).isFalse();
  }

  @Test
  @DisplayName("one address guessing codes of many attendees is locked out by its own limit")
  void rejoinPerSourceLimit() {
    String codelabId = codelab();
    String source = newSource();
    List<Response> guesses = new ArrayList<>();
    for (int i = 0; i <= REJOIN_PER_SOURCE; i++) {
      http.join(codelabId, "att" + i, "code-of-att" + i);
      guesses.add(rejoin(codelabId, "att" + i, "guess-000" + i, source));
    }
    assertThat(guesses.subList(0, REJOIN_PER_SOURCE)).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(409));
    assertThat(guesses.get(REJOIN_PER_SOURCE).status()).isEqualTo(429);
    assertThat(rejoin(codelabId, "att0", "code-of-att0", newSource()).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("personal codes shorter than 6 are 400; the commonest and the simplest are 422")
  void weakCodesRefused() {
    String codelabId = codelab();
    Response shortCode = rejoin(codelabId, "shorty", "12345", newSource());
    assertThat(shortCode.status()).isEqualTo(400);
    assertThat(shortCode.json().getString("detail")).contains("personalCode");
    for (String common : List.of("123456", "000000", "111111", "123123", "654321", "password", "QWERTY", "abcdef",
      "987654", "121212", "zzzzzzzz", "123456789")) {
      Response refused = rejoin(codelabId, "weak", common, newSource());
      assertThat(refused.status()).as(common).isEqualTo(422);
      assertThat(refused.header("content-type")).isEqualTo("application/problem+json");
      assertThat(refused.json().getString("detail")).contains("personal code");
    }
    assertThat(rejoin(codelabId, "weak", "kx7-tq2", newSource()).status()).isEqualTo(201);
  }

  @Test
  @DisplayName("look-alike nicknames (zero-width, bidi, full-width, case, spacing) are the same nickname")
  void lookAlikesCollide() {
    String codelabId = codelab();
    String first = http.join(codelabId, "a1", "first-code-1").getJsonObject("attendee").getString("id");
    for (String lookAlike : List.of("a1\u200B", "\u200Ea\u200D1", "\u202Ea1\u202C", "Ａ１", "A1", " a1 ", "a\u00AD1", "a1\u2060")) {
      Response resumed = rejoin(codelabId, lookAlike, "first-code-1", newSource());
      assertThat(resumed.status()).as("%s", lookAlike.codePoints().boxed().toList()).isEqualTo(200);
      assertThat(resumed.json().getJsonObject("attendee").getString("id")).isEqualTo(first);
    }
    assertThat(rejoin(codelabId, "a1\u200B", "someone-else", newSource()).status()).isEqualTo(409);

    Response spaced = rejoin(codelabId, "Neo\u00A0  \tThe   One", "spaced-code", newSource());
    assertThat(spaced.status()).isEqualTo(201);
    assertThat(spaced.json().getJsonObject("attendee").getString("nickname")).isEqualTo("Neo The One");
    assertThat(rejoin(codelabId, "neo the one", "other-code", newSource()).status()).isEqualTo(409);
    assertThat(http.join(codelabId, "Straße", "strasse-code").getJsonObject("attendee").getString("id"))
      .isEqualTo(rejoin(codelabId, "STRASSE", "strasse-code", newSource()).json().getJsonObject("attendee").getString("id"));
  }

  @Test
  @DisplayName("staff-like nicknames are refused with 422; innocent words containing them are not")
  void staffNicknamesRefused() {
    String assistant = facilitator();
    String codelabId = codelab();
    assertThat(http.post("/api/codelabs/" + codelabId + "/assistants", admin, new JsonObject().put("username", assistant))
      .status()).isEqualTo(201);
    for (String staffLike : List.of("admin", "Administrator", "ADMIN 2", "the-moderator", "Ａｄｍｉｎ", "ad\u200Bmin",
      "Host", "root", "Support", "AdminKim", "관리자", "강사님", "운영자 김", assistant.toUpperCase(), "Administrator ")) {
      Response refused = rejoin(codelabId, staffLike, "strong-code-9", newSource());
      assertThat(refused.status()).as(staffLike).isEqualTo(422);
      assertThat(refused.header("content-type")).isEqualTo("application/problem+json");
    }
    for (String innocent : List.of("ghost", "modern", "badminton", "rooted tree", "hosting", "강사랑")) {
      assertThat(rejoin(codelabId, innocent, "strong-code-9", newSource()).status()).as(innocent).isEqualTo(201);
    }
  }

  private static List<Response> signIns(String username, String password, int times, String source) {
    List<Response> answers = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      answers.add(http.send(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", username).put("password", password),
        MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "10.9.9.9, " + source)));
    }
    return answers;
  }

  private static Response rejoin(String codelabId, String nickname, String code, String source) {
    return http.send(HttpMethod.POST, "/api/codelabs/" + codelabId + "/attendees", null,
      new JsonObject().put("nickname", nickname).put("personalCode", code),
      MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", source));
  }

  private static String facilitator() {
    String username = "fac-" + UUID.randomUUID().toString().substring(0, 8);
    Response created = http.post("/api/facilitators", admin, new JsonObject()
      .put("username", username).put("password", "correct horse battery"));
    assertThat(created.status()).isEqualTo(201);
    return username;
  }

  private static String codelab() {
    return http.createCodelab(admin, new JsonObject().put("title", "Lab " + UUID.randomUUID()));
  }

  /** A documentation address (RFC 5737) no other test uses. */
  private static String newSource() {
    int n = SOURCES.incrementAndGet();
    return "198.51." + (100 + n / 250) + "." + (n % 250 + 1);
  }
}

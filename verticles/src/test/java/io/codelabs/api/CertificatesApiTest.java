package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.codelabs.credentials.PdfReading;
import io.codelabs.credentials.Verifiers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Certificates: issued on completion only, verified in public, printed, signed as Open Badges, revoked")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CertificatesApiTest extends NodeTestBase {
  private static WebClient raw;

  @BeforeAll
  static void rawClient() {
    raw = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(node.httpPort));
  }

  @AfterAll
  static void closeRawClient() {
    raw.close();
  }

  @Test
  @DisplayName("409 until the writer finds the codelab complete; then 201, the name set once, and a second POST the same")
  void issuedOnlyWhenComplete() {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    Response early = http.post("/api/codelabs/" + id + "/certificate", neo, new JsonObject().put("name", "Thomas"));
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.json().getString("detail")).contains("steps");
    assertThat(http.post("/api/codelabs/" + id + "/certificate", neo, new JsonObject().put("complete", true)).status())
      .as("nothing a client sends stands in for completing").isEqualTo(400);
    completeSteps(id, neo, 0, 1);
    assertThat(http.post("/api/codelabs/" + id + "/certificate", neo, new JsonObject()).status()).isEqualTo(409);
    assertThat(http.get("/api/codelabs/" + id + "/certificate", neo).status()).isEqualTo(404);

    completeSteps(id, neo, 2);
    Response issued = http.post("/api/codelabs/" + id + "/certificate", neo, new JsonObject().put("name", " 김하늘  Neo "));
    assertThat(issued.status()).isEqualTo(201);
    JsonObject certificate = issued.json().getJsonObject("certificate");
    String certificateId = certificate.getString("id");
    assertThat(certificateId).matches("[A-Za-z0-9][A-Za-z0-9_-]{23}");
    assertThat(certificate.getString("name")).isEqualTo("김하늘 Neo");
    assertThat(certificate.getString("codelabTitle")).isEqualTo(http.get("/api/codelabs/" + id, admin).json()
      .getString("title"));
    assertThat(certificate.getString("facilitatorName")).as("the owner, as the codelab names no author")
      .isEqualTo("Administrator");
    assertThat(certificate.getLong("completedAt")).isEqualTo(http.get("/api/codelabs/" + id + "/completion", neo)
      .json().getLong("completedAt"));
    assertThat(certificate.getLong("issuedAt")).isGreaterThanOrEqualTo(certificate.getLong("completedAt"));
    assertThat(certificate.getLong("durationMinutes")).isEqualTo(1);
    assertThat(certificate.getString("status")).isEqualTo("valid");
    assertThat(certificate.getString("verifyUrl")).isEqualTo("/verify/" + certificateId);
    assertThat(certificate.getString("pdfUrl")).isEqualTo("/api/certificates/" + certificateId + ".pdf");
    assertThat(certificate.getString("credentialUrl")).isEqualTo("/api/certificates/" + certificateId + "/credential");
    assertThat(issued.json().getLong("seq")).isPositive();

    Response again = http.post("/api/codelabs/" + id + "/certificate", neo, new JsonObject().put("name", "Someone Else"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getJsonObject("certificate")).isEqualTo(certificate);
    assertThat(http.get("/api/codelabs/" + id + "/certificate", neo).json()).isEqualTo(certificate);

    assertThat(http.post("/api/codelabs/" + id + "/certificate", admin, new JsonObject()).status()).isEqualTo(403);
    assertThat(http.post("/api/codelabs/" + id + "/certificate", null, new JsonObject()).status()).isEqualTo(401);
    assertThat(http.post("/api/codelabs/" + codelab(admin) + "/certificate", neo, new JsonObject()).status())
      .as("another codelab's attendee").isEqualTo(403);
    String trinity = attendee(id, "trinity");
    completeSteps(id, trinity, 0, 1, 2);
    assertThat(http.post("/api/codelabs/" + id + "/certificate", trinity, new JsonObject()).json()
      .getJsonObject("certificate").getString("name")).as("the nickname by default").isEqualTo("trinity");

    String[] csv = http.get("/api/codelabs/" + id + "/results.csv", admin).text().split("\r\n");
    assertThat(csv[0]).endsWith(",certificate id");
    assertThat(csv[1]).startsWith("neo,").endsWith("," + certificateId);

    List<JsonObject> events = http.get("/api/codelabs/" + id + "/events?after=0", admin).json().getJsonArray("events")
      .stream().map(JsonObject.class::cast).filter(event -> event.getString("type").equals("certificate.issued")).toList();
    assertThat(events).hasSize(2);
    assertThat(events.get(0).getJsonObject("data").getJsonObject("certificate")).isEqualTo(certificate);
  }

  @Test
  @DisplayName("the public JSON says valid, then revoked with the reason after a facilitator revokes; unknown ids 404")
  void publicVerifyAndRevoke() throws Exception {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String certificateId = certificate(id, neo, "Neo Anderson").getString("id");

    Response valid = http.get("/api/certificates/" + certificateId, null);
    assertThat(valid.status()).isEqualTo(200);
    assertThat(valid.json().getString("status")).isEqualTo("valid");
    assertThat(valid.json().getString("name")).isEqualTo("Neo Anderson");
    assertThat(valid.json().fieldNames()).doesNotContain("attendeeId", "codelabId", "nickname", "revokedAt");
    assertThat(http.get("/api/certificates/AAAAAAAAAAAAAAAAAAAAAAAA", null).status()).isEqualTo(404);
    assertThat(http.get("/api/certificates/AAAAAAAAAAAAAAAAAAAAAAAA.pdf", null).status()).isEqualTo(404);
    assertThat(http.get("/api/certificates/AAAAAAAAAAAAAAAAAAAAAAAA/credential", null).status()).isEqualTo(404);

    String revoke = "/api/codelabs/" + id + "/certificates/" + certificateId + "/revoke";
    assertThat(http.post(revoke, neo, new JsonObject()).status()).isEqualTo(403);
    String stranger = newFacilitator(unique("stranger"));
    assertThat(http.post(revoke, stranger, new JsonObject()).status()).isEqualTo(403);
    assertThat(http.post("/api/codelabs/" + codelab(admin) + "/certificates/" + certificateId + "/revoke", admin,
      new JsonObject()).status()).as("through another codelab").isEqualTo(404);
    Response revoked = http.post(revoke, admin, new JsonObject().put("reason", "Issued by mistake"));
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().getJsonObject("certificate").getString("status")).isEqualTo("revoked");
    assertThat(http.post(revoke, admin, new JsonObject()).status()).isEqualTo(409);

    JsonObject after = http.get("/api/certificates/" + certificateId, null).json();
    assertThat(after.getString("status")).isEqualTo("revoked");
    assertThat(after.getString("revocationReason")).isEqualTo("Issued by mistake");
    assertThat(after.getLong("revokedAt")).isPositive();
    assertThat(http.get("/api/codelabs/" + id + "/certificate", neo).json().getString("status")).isEqualTo("revoked");
    assertThat(http.get("/api/codelabs/" + id + "/certificates", admin).json().getJsonArray("certificates")
      .getJsonObject(0).getString("status")).isEqualTo("revoked");
    assertThat(http.get("/api/codelabs/" + id + "/certificates", neo).status()).isEqualTo(403);
    assertThat(PdfReading.of(pdf(certificateId).body().getBytes()).text()).contains("REVOKED");
    assertThat(http.get("/api/codelabs/" + id + "/events?after=0", neo).json().getJsonArray("events").stream()
      .map(JsonObject.class::cast).map(event -> event.getString("type"))).contains("certificate.revoked");
  }

  @Test
  @DisplayName("the PDF prints the Korean name and carries the absolute verify URL in its QR code")
  void pdfWithQr() throws Exception {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String certificateId = certificate(id, neo, "김하늘").getString("id");

    HttpResponse<Buffer> response = pdf(certificateId);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/pdf");
    PdfReading reading = PdfReading.of(response.body().getBytes());
    String verifyUrl = "http://127.0.0.1:" + node.httpPort + "/verify/" + certificateId;
    assertThat(reading.text()).contains("김하늘", "Administrator", verifyUrl);
    assertThat(reading.qr()).isEqualTo(verifyUrl);
    assertThat(http.get("/verify/" + certificateId, null).text()).as("the verify URL opens the browser app")
      .contains("<div id=\"app\"");
  }

  @Test
  @DisplayName("the VC-JWT verifies with the published JWKS in an independent library, and fails when one byte changes")
  void credentialVerifies() throws Exception {
    String id = codelab(admin);
    String neo = attendee(id, "neo");
    String certificateId = certificate(id, neo, "Neo Anderson").getString("id");
    String base = "http://127.0.0.1:" + node.httpPort;

    HttpResponse<Buffer> jwks = raw.get("/.well-known/jwks.json").send().await();
    assertThat(jwks.getHeader("Content-Type")).isEqualTo("application/jwk-set+json");
    assertThat(jwks.bodyAsJsonObject().getJsonArray("keys").getJsonObject(0).fieldNames()).doesNotContain("d", "p", "q");
    HttpResponse<Buffer> signed = raw.get("/api/certificates/" + certificateId + "/credential").send().await();
    assertThat(signed.statusCode()).isEqualTo(200);
    assertThat(signed.getHeader("Content-Type")).isEqualTo("application/vc+jwt");
    String jwt = signed.bodyAsString();

    JwtClaims claims = Verifiers.claims(jwt, jwks.bodyAsString(), base + "/api/issuer");
    JsonObject payload = new JsonObject(claims.getRawJson());
    assertThat(payload.getJsonArray("type")).containsExactly("VerifiableCredential", "OpenBadgeCredential");
    assertThat(payload.getJsonObject("credentialSubject").getJsonArray("identifier").getJsonObject(0)
      .getString("identityHash")).isEqualTo("Neo Anderson");
    assertThat(claims.getJwtId()).isEqualTo(base + "/api/certificates/" + certificateId + "/credential");
    JsonObject json = http.get("/api/certificates/" + certificateId + "/credential?format=json", null).json();
    assertThat(payload.copy().put("iss", null).put("jti", null).put("nbf", null).put("iat", null).stream()
      .filter(field -> field.getValue() != null).count()).isEqualTo(json.size());
    json.forEach(field -> assertThat(payload.getValue(field.getKey())).isEqualTo(field.getValue()));

    String tampered = Verifiers.withOneBytePayloadChanged(jwt);
    assertThat(Verifiers.signatureHolds(tampered, jwks.bodyAsString())).isFalse();
    assertThatThrownBy(() -> Verifiers.claims(tampered, jwks.bodyAsString(), base + "/api/issuer"))
      .hasMessageContaining("signature");

    JsonObject issuer = http.get("/api/issuer", null).json();
    assertThat(issuer.getString("id")).isEqualTo(base + "/api/issuer");
    assertThat(issuer.getString("name")).isEqualTo("Open Codelabs");
    assertThat(issuer.getJsonArray("verificationMethod").getJsonObject(0).getJsonObject("publicKeyJwk"))
      .isEqualTo(jwks.bodyAsJsonObject().getJsonArray("keys").getJsonObject(0));
  }

  private static JsonObject certificate(String codelabId, String token, String name) {
    completeSteps(codelabId, token, 0, 1, 2);
    Response issued = http.post("/api/codelabs/" + codelabId + "/certificate", token, new JsonObject().put("name", name));
    assertThat(issued.status()).isEqualTo(201);
    return issued.json().getJsonObject("certificate");
  }

  private static HttpResponse<Buffer> pdf(String certificateId) {
    return raw.get("/api/certificates/" + certificateId + ".pdf").send().await();
  }

  private static void completeSteps(String codelabId, String token, int... steps) {
    for (int step : steps) {
      assertThat(http.post("/api/codelabs/" + codelabId + "/progress", token, new JsonObject().put("step", step)
        .put("completed", true)).status()).isEqualTo(200);
    }
  }
}

package io.codelabs.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Open Badges 3.0 credentials signed with the instance key")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenBadgeTest {
  private static final String BASE = "https://codelabs.example.org";
  private static final Award AWARD = new Award("c3J0aWZpY2F0ZS1pZC0xMjM0", "김하늘", "lab-1", "Vert.x 5 in an hour",
    "Kim", 1_764_000_000_000L, 1_764_005_400_000L, 1_764_006_000_000L, 90);

  @Test
  @DisplayName("the VC-JWT verifies with the published JWKS (jose4j) and carries the OpenBadgeCredential")
  void verifiesWithPublishedKey() throws Exception {
    InstanceKey key = InstanceKey.generate();
    JsonObject credential = OpenBadge.credential(BASE, "Open Codelabs", AWARD);
    String token = key.sign(OpenBadge.jwtPayload(credential));

    JwtClaims claims = Verifiers.claims(token, key.publicJwks().encode(), BASE + OpenBadge.ISSUER_PATH);
    JsonObject payload = new JsonObject(claims.getRawJson());
    assertThat(payload.getJsonArray("@context")).containsExactly(OpenBadge.VC_CONTEXT, OpenBadge.OB_CONTEXT);
    assertThat(payload.getJsonArray("type")).containsExactly("VerifiableCredential", "OpenBadgeCredential");
    assertThat(payload.getJsonObject("issuer").getJsonArray("type")).containsExactly("Profile");
    assertThat(payload.getString("validFrom")).isEqualTo("2025-11-24T17:40:00Z");
    assertThat(claims.getNotBefore().getValue()).isEqualTo(1_764_006_000L);
    assertThat(claims.getJwtId()).isEqualTo(BASE + "/api/certificates/c3J0aWZpY2F0ZS1pZC0xMjM0/credential");
    JsonObject subject = payload.getJsonObject("credentialSubject");
    assertThat(subject.getJsonArray("type")).containsExactly("AchievementSubject");
    assertThat(subject.getJsonArray("identifier").getJsonObject(0).getString("identityHash")).isEqualTo("김하늘");
    assertThat(subject.getJsonObject("achievement").getString("name")).isEqualTo("Vert.x 5 in an hour");
    assertThat(subject.getJsonObject("achievement").getJsonObject("criteria").getString("narrative")).isNotBlank();

    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
    assertThat(header.getString("alg")).isEqualTo("RS256");
    assertThat(header.getString("kid")).isEqualTo(key.kid());
  }

  @Test
  @DisplayName("changing one byte of the payload, or verifying with another instance's key, fails")
  void tamperingFails() {
    InstanceKey key = InstanceKey.generate();
    String token = key.sign(OpenBadge.jwtPayload(OpenBadge.credential(BASE, "Open Codelabs", AWARD)));
    String jwks = key.publicJwks().encode();
    assertThat(Verifiers.signatureHolds(token, jwks)).isTrue();

    String tampered = Verifiers.withOneBytePayloadChanged(token);
    assertThat(tampered).isNotEqualTo(token);
    assertThat(Verifiers.signatureHolds(tampered, jwks)).isFalse();
    assertThatThrownBy(() -> Verifiers.claims(tampered, jwks, BASE + OpenBadge.ISSUER_PATH))
      .hasMessageContaining("signature");
    assertThat(Verifiers.signatureHolds(token, InstanceKey.generate().publicJwks().encode())).isFalse();
  }

  @Test
  @DisplayName("the stored key signs the same after a restart, and its JWKS and profile hold no private part")
  void storedKeyRoundTrips() {
    InstanceKey key = InstanceKey.generate();
    InstanceKey reloaded = InstanceKey.parse(key.privateJwk());
    String token = reloaded.sign(new JsonObject().put("a", 1));
    assertThat(Verifiers.signatureHolds(token, key.publicJwks().encode())).isTrue();
    assertThat(reloaded.kid()).isEqualTo(key.kid());

    JsonObject jwk = key.publicJwks().getJsonArray("keys").getJsonObject(0);
    assertThat(jwk.fieldNames()).contains("kty", "n", "e", "kid").doesNotContain("d", "p", "q", "dp", "dq", "qi");
    JsonObject profile = OpenBadge.issuerProfile(BASE, "Open Codelabs", key.publicJwk());
    assertThat(profile.getString("id")).isEqualTo(BASE + "/api/issuer");
    assertThat(profile.encode()).doesNotContain("\"d\":");
    assertThat(profile.getJsonArray("verificationMethod").getJsonObject(0).getJsonObject("publicKeyJwk"))
      .isEqualTo(key.publicJwk());
    assertThatThrownBy(() -> InstanceKey.parse(key.publicJwk().encode())).isInstanceOf(IllegalArgumentException.class);
  }
}

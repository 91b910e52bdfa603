package io.codelabs.credentials;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Open Badges 3.0 documents: the {@code OpenBadgeCredential} of a certificate (W3C Verifiable Credentials data model
 * 2.0) and the issuer {@code Profile}. Every id is an absolute URL under the instance's public URL, so a verifier
 * finds the issuer profile, the JWKS and the certificate's current status from the credential alone.
 */
public final class OpenBadge {
  public static final String VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
  public static final String OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
  public static final String ISSUER_PATH = "/api/issuer";
  public static final String JWKS_PATH = "/.well-known/jwks.json";

  private OpenBadge() {
  }

  public static JsonObject credential(String baseUrl, String issuerName, Award award) {
    String base = trimmed(baseUrl);
    String narrative = "Completed every requirement of the hands-on codelab \"" + award.codelabTitle() + "\"";
    return new JsonObject()
      .put("@context", new JsonArray().add(VC_CONTEXT).add(OB_CONTEXT))
      .put("id", base + Award.credentialPath(award.certificateId()))
      .put("type", new JsonArray().add("VerifiableCredential").add("OpenBadgeCredential"))
      .put("issuer", issuer(base, issuerName))
      .put("validFrom", iso(award.issuedAt()))
      .put("name", award.codelabTitle())
      .put("credentialSubject", new JsonObject()
        .put("type", new JsonArray().add("AchievementSubject"))
        .put("identifier", new JsonArray().add(new JsonObject()
          .put("type", "IdentityObject")
          .put("identityHash", award.name())
          .put("identityType", "name")
          .put("hashed", false)))
        .put("activityStartDate", iso(award.startedAt()))
        .put("activityEndDate", iso(award.completedAt()))
        .put("narrative", "Facilitated by " + award.facilitatorName() + "; " + award.durationMinutes()
          + " minutes from joining to completion.")
        .put("achievement", new JsonObject()
          .put("id", base + "/c/" + award.codelabId())
          .put("type", new JsonArray().add("Achievement"))
          .put("achievementType", "Certificate")
          .put("name", award.codelabTitle())
          .put("description", narrative + ", facilitated by " + award.facilitatorName() + ".")
          .put("criteria", new JsonObject().put("narrative", narrative + " that its facilitators set."))));
  }

  /**
   * The JWT claims Open Badges 3.0 asks of a VC-JWT, next to the credential's own properties and agreeing with them:
   * issuer, credential id and validFrom (no expiry: a certificate does not lapse, it is revoked).
   */
  public static JsonObject jwtPayload(JsonObject credential) {
    long validFrom = Instant.parse(credential.getString("validFrom")).getEpochSecond();
    return credential.copy()
      .put("iss", credential.getJsonObject("issuer").getString("id"))
      .put("jti", credential.getString("id"))
      .put("nbf", validFrom)
      .put("iat", validFrom);
  }

  /** The issuer profile with the public key it signs with, as a JsonWebKey verification method. */
  public static JsonObject issuerProfile(String baseUrl, String issuerName, JsonObject publicJwk) {
    String base = trimmed(baseUrl);
    String id = base + ISSUER_PATH;
    return new JsonObject().put("@context", new JsonArray().add(VC_CONTEXT).add(OB_CONTEXT))
      .mergeIn(issuer(base, issuerName))
      .put("description", "Issues the certificates of the workshops run on this Open Codelabs instance.")
      .put("verificationMethod", new JsonArray().add(new JsonObject()
        .put("id", id + "#" + publicJwk.getString("kid"))
        .put("type", "JsonWebKey")
        .put("controller", id)
        .put("publicKeyJwk", publicJwk)))
      .put("jwks", base + JWKS_PATH);
  }

  private static JsonObject issuer(String base, String issuerName) {
    return new JsonObject()
      .put("id", base + ISSUER_PATH)
      .put("type", new JsonArray().add("Profile"))
      .put("name", issuerName)
      .put("url", base + "/");
  }

  private static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String trimmed(String baseUrl) {
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }
}

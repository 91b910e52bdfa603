package io.codelabs.credentials;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/** Verification with jose4j, a JOSE library the signing code does not use, from nothing but a published JWKS. */
public final class Verifiers {
  private Verifiers() {
  }

  /** Whether the compact JWS carries a valid RS256 signature of a key in the set. */
  public static boolean signatureHolds(String compact, String jwksJson) {
    try {
      JsonWebKeySet keys = new JsonWebKeySet(jwksJson);
      JsonWebSignature jws = new JsonWebSignature();
      jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
        AlgorithmIdentifiers.RSA_USING_SHA256));
      jws.setCompactSerialization(compact);
      var key = new VerificationJwkSelector().select(jws, keys.getJsonWebKeys());
      if (key == null) {
        return false;
      }
      jws.setKey(key.getKey());
      return jws.verifySignature();
    } catch (JoseException e) {
      return false;
    }
  }

  /** The claims of a VC-JWT whose signature, issuer and not-before hold, or an exception saying which did not. */
  public static JwtClaims claims(String compact, String jwksJson, String issuer) throws Exception {
    JwtConsumer consumer = new JwtConsumerBuilder()
      .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwksJson).getJsonWebKeys()))
      .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
        AlgorithmIdentifiers.RSA_USING_SHA256))
      .setExpectedIssuer(issuer)
      .setRequireNotBefore()
      .setRequireJwtId()
      .setExpectedType(true, "vc+jwt")
      .build();
    return consumer.processToClaims(compact);
  }

  /** The same token with one byte of its payload changed, re-encoded so only the content differs. */
  public static String withOneBytePayloadChanged(String compact) {
    String[] parts = compact.split("\\.");
    byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
    String text = new String(payload, StandardCharsets.UTF_8);
    int at = text.indexOf("\"name\":\"") + "\"name\":\"".length();
    payload[at] = (byte) (payload[at] == 'X' ? 'Y' : 'X');
    return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[2];
  }
}

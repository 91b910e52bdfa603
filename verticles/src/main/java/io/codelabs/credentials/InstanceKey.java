package io.codelabs.credentials;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;

/**
 * The instance's credential signing key: RSA 2048 with RS256, the one algorithm Open Badges 3.0 requires every
 * verifier of a VC-JWT to support. Generated once by the writer and kept in its database; only its public part
 * leaves the persistence verticle.
 */
public final class InstanceKey {
  public static final String ALGORITHM = JWSAlgorithm.RS256.getName();
  /** The media type of a credential secured as a JWS, also its {@code typ} header (VC-JOSE-COSE). */
  public static final String MEDIA_TYPE = "application/vc+jwt";
  private static final int BITS = 2048;

  private final RSAKey key;

  private InstanceKey(RSAKey key) {
    this.key = key;
  }

  public static InstanceKey generate() {
    try {
      return new InstanceKey(new RSAKeyGenerator(BITS).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
        .keyIDFromThumbprint(true).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot generate an RSA key", e);
    }
  }

  /** The key as {@link #privateJwk()} wrote it. */
  public static InstanceKey parse(String privateJwk) {
    try {
      RSAKey key = RSAKey.parse(privateJwk);
      if (!key.isPrivate()) {
        throw new IllegalArgumentException("The stored instance key has no private part");
      }
      return new InstanceKey(key);
    } catch (ParseException e) {
      throw new IllegalArgumentException("The stored instance key is not an RSA JWK", e);
    }
  }

  public String kid() {
    return key.getKeyID();
  }

  /** Secret: for the database only. */
  public String privateJwk() {
    return key.toJSONString();
  }

  public JsonObject publicJwk() {
    return new JsonObject(key.toPublicJWK().toJSONString());
  }

  /** The JSON Web Key Set verifiers fetch, with the public key only. */
  public JsonObject publicJwks() {
    return new JsonObject(new JWKSet(key.toPublicJWK()).toString(true));
  }

  /** A compact JWS of the payload: header {@code alg} RS256, {@code typ} vc+jwt, {@code kid} this key's thumbprint. */
  public String sign(JsonObject payload) {
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("vc+jwt"))
      .keyID(kid()).build(), new Payload(payload.encode()));
    try {
      jws.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign with the instance key", e);
    }
    return jws.serialize();
  }
}

package io.codelabs.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Standard Webhooks signatures")
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SignaturesTest {
  @Test
  @DisplayName("the specification's test vector signs to its published signature")
  void specificationVector() {
    assertThat(Signatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
      "{\"test\": 2432232314}")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  @DisplayName("during a rotation the header carries one space-separated entry per secret, the newest first")
  void oneEntryPerSecret() {
    String header = Signatures.header(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Signatures.newSecret()),
      "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");
    assertThat(header.split(" ")).hasSize(2).startsWith("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  @DisplayName("a new secret is whsec_ and base64 of 32 random bytes, never the same twice")
  void newSecrets() {
    String secret = Signatures.newSecret();
    assertThat(secret).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    assertThat(Signatures.newSecret()).isNotEqualTo(secret);
  }
}

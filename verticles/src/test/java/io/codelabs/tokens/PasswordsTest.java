package io.codelabs.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Argon2id password hashes")
class PasswordsTest {

  @Test
  @DisplayName("a hash verifies its own secret only, and never repeats for the same secret")
  void hashAndVerify() {
    String hash = Passwords.hash("correct horse");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(Passwords.verify("correct horse", hash)).isTrue();
    assertThat(Passwords.verify("correct horsE", hash)).isFalse();
    assertThat(Passwords.hash("correct horse")).isNotEqualTo(hash);
  }

  @Test
  @DisplayName("anything that is not an argon2id PHC string never verifies")
  void rejectsOtherFormats() {
    assertThat(Passwords.verify("x", "plain-text")).isFalse();
    assertThat(Passwords.verify("x", "$argon2i$v=19$m=16,t=2,p=1$c2FsdA$aGFzaA")).isFalse();
  }

  @Test
  @DisplayName("generated passwords are long and avoid look-alike characters")
  void generated() {
    String password = Passwords.generate();
    assertThat(password).hasSize(20).doesNotContainAnyWhitespaces().matches("[^0O1lI]+");
  }
}

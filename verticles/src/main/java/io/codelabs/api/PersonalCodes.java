package io.codelabs.api;

import io.codelabs.bus.ErrorCode;
import java.util.Locale;
import java.util.Set;

/**
 * The personal code guards an attendee's seat (its direct messages and submissions), so a new one
 * must not be among the first codes a guesser tries.
 */
final class PersonalCodes {
  static final int MIN_LENGTH = 6;

  private static final Set<String> COMMON = Set.of("123456", "1234567", "12345678", "123456789", "1234567890",
    "123123", "654321", "123321", "112233", "121212", "111222", "102030", "147258", "159753", "147258369",
    "696969", "5201314", "password", "password1", "passw0rd", "qwerty", "qwerty1", "qwerty123", "qwertyuiop",
    "azerty", "asdfgh", "asdfghjkl", "zxcvbn", "zxcvbnm", "1q2w3e", "1q2w3e4r", "q1w2e3r4", "123qwe", "qwe123",
    "abc123", "abcd1234", "iloveyou", "letmein", "welcome", "secret", "monkey", "dragon", "football",
    "baseball", "sunshine", "princess", "master", "changeme", "codelab", "codelabs", "personal", "mycode");

  private PersonalCodes() {
  }

  /** Throws 422 for a code too short, too common or too simple (one character, a run, a repeated chunk). */
  static void requireStrong(String code) {
    String folded = code.strip().toLowerCase(Locale.ROOT);
    if (code.length() < MIN_LENGTH) {
      throw ErrorCode.UNPROCESSABLE.failure("The personal code needs at least " + MIN_LENGTH + " characters");
    }
    if (COMMON.contains(folded) || isRun(folded) || isRepeated(folded)) {
      throw ErrorCode.UNPROCESSABLE.failure("That personal code is one of the first anybody would guess; "
        + "pick something less common");
    }
  }

  /** 234567, abcdef, 987654: each character one step up, or one step down, from the last. */
  private static boolean isRun(String code) {
    int step = code.charAt(1) - code.charAt(0);
    if (Math.abs(step) != 1) {
      return false;
    }
    for (int i = 2; i < code.length(); i++) {
      if (code.charAt(i) - code.charAt(i - 1) != step) {
        return false;
      }
    }
    return true;
  }

  /** aaaaaa, 121212, 123123, abcabc: one to three characters said over and over. */
  private static boolean isRepeated(String code) {
    for (int unit = 1; unit <= 3; unit++) {
      if (code.length() % unit == 0 && code.equals(code.substring(0, unit).repeat(code.length() / unit))) {
        return true;
      }
    }
    return false;
  }
}

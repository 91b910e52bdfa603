package io.codelabs.persistence;

import io.codelabs.bus.ErrorCode;
import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Nicknames as the writer stores and compares them, whoever sent them (the API, the bridge or an
 * integrator): what people see is NFKC with invisible characters removed and whitespace collapsed;
 * what must be unique per codelab is that, case-folded.
 */
final class Nicknames {
  /** Controls, format characters (zero-width, bidi overrides and isolates), and the Hangul fillers that render blank. */
  private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}\\p{Cn}\\u115F\\u1160\\u3164\\uFFA0\\u2800]");
  private static final Pattern SPACES = Pattern.compile("[\\p{Z}\\s]+");
  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Pattern EDGE_DIGITS = Pattern.compile("^\\p{N}+|\\p{N}+$");
  /** Words only staff would use as a name; matched as whole words so "ghost" or "modern" stay allowed. */
  private static final Set<String> STAFF_WORDS = Set.of("admin", "admins", "administrator", "sysadmin", "root",
    "system", "facilitator", "moderator", "mod", "staff", "organizer", "organiser", "host", "instructor",
    "teacher", "tutor", "support", "helpdesk", "official", "operator", "owner",
    "관리자", "운영자", "운영진", "진행자", "강사", "사회자", "관리인", "스태프", "선생님");
  /** Long enough that any name starting or ending with one of them claims the role ("AdminKim"). */
  private static final Set<String> STAFF_STEMS = Set.of("admin", "administrator", "facilitator", "moderator",
    "organizer", "organiser", "instructor", "관리자", "운영자", "진행자");
  private static final String HONORIFIC = "님";

  private Nicknames() {
  }

  static String display(String raw) {
    String visible = INVISIBLE.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKC)).replaceAll("");
    return SPACES.matcher(visible).replaceAll(" ").strip();
  }

  /** Compares nicknames: full case folding ("ß" and "SS" alike), then NFKC again. */
  static String key(String display) {
    return Normalizer.normalize(display.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
  }

  /** Refuses a nickname that passes for staff: an admin-like word, or the name of one of the codelab's staff. */
  static void requireNotStaff(String key, Collection<String> staffNames) {
    String squashed = squash(key);
    boolean claimsRole = isStaffWord(squashed)
      || STAFF_STEMS.stream().anyMatch(stem -> squashed.startsWith(stem) || squashed.endsWith(stem))
      || SEPARATORS.splitAsStream(key).anyMatch(Nicknames::isStaffWord);
    if (claimsRole) {
      throw ErrorCode.UNPROCESSABLE.failure("That nickname is reserved for staff; pick another");
    }
    if (!squashed.isEmpty() && staffNames.stream().map(name -> squash(key(display(name)))).anyMatch(squashed::equals)) {
      throw ErrorCode.UNPROCESSABLE.failure("That nickname is a facilitator's name in this codelab; pick another");
    }
  }

  private static boolean isStaffWord(String word) {
    String bare = EDGE_DIGITS.matcher(word).replaceAll("");
    return STAFF_WORDS.contains(bare) || bare.endsWith(HONORIFIC) && STAFF_WORDS.contains(bare.substring(0, bare.length() - 1));
  }

  private static String squash(String key) {
    return SEPARATORS.matcher(key).replaceAll("");
  }
}

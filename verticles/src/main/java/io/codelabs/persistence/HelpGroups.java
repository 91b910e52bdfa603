package io.codelabs.persistence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Open help requests grouped by step, each group with the words most of its messages share
 * ("14 stuck on step 4: 9 say 'gradle sync'"). The normalisation is deliberately simple, and the
 * browser's copy (webroot/src/pacing/helpGroups.js) follows it rule for rule, and both are tested
 * against webroot/test/pacing/help-words.json: NFKC, lower case, split on anything that is not a
 * letter or digit (apostrophes dropped first); a Korean word loses its trailing particle (조사: the
 * longest listed one, and a one-syllable particle only after a stem of two syllables or more, so
 * 차이 stays whole), because Korean attaches it to the noun (동기화가, 동기화에서); then English and
 * Korean stop words, single Latin letters and words of bare jamo (ㅠㅠ) are dropped. A message's phrases are its distinct
 * words and pairs of adjacent kept words. A group's common phrase is the one the most of its messages contain (at least two),
 * a pair before a single word at the same count, then the one met first, oldest request first.
 */
final class HelpGroups {
  private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "i", "im", "me", "my", "it", "its", "is",
    "are", "was", "be", "to", "of", "in", "on", "at", "for", "with", "and", "or", "but", "not", "no", "this", "that",
    "when", "what", "how", "can", "cant", "doesnt", "dont", "do", "does", "get", "got", "have", "has", "help",
    "please", "step", "so", "just", "still", "after", "from", "by", "again",
    "안", "못", "좀", "또", "다시", "계속", "그리고", "근데", "그런데", "어떻게", "왜", "이거", "저", "제", "제가", "저는", "저도", "이게", "그게", "갑자기",
    "여기", "지금", "단계", "스텝", "도움", "돼", "돼요", "되요", "안돼요", "안되요", "안됨", "안돼", "됩니다", "안됩니다",
    "해요", "했어요", "했는데", "하는데", "있어요", "없어요", "없습니다", "나요", "나와요", "떠요", "떠서", "뜹니다",
    "모르겠어요", "주세요", "도와주세요", "요");
  /** Longest first, so 에서 is taken before 서 could be. */
  private static final List<String> LONG_PARTICLES = List.of("에서는", "에서도", "으로는", "으로도", "에서", "으로",
    "에게", "한테", "까지", "부터", "처럼", "보다", "이랑", "하고", "에는", "에도", "이나");
  private static final Set<String> SHORT_PARTICLES = Set.of("이", "가", "을", "를", "은", "는", "에", "의", "도", "만",
    "로", "와", "과", "랑");

  private HelpGroups() {
  }

  /** Groups of the open and claimed requests among {@code help}, largest first. */
  static JsonArray of(List<JsonObject> help) {
    Map<Integer, List<JsonObject>> byStep = new TreeMap<>();
    for (JsonObject request : help) {
      String status = request.getString("status");
      if ("open".equals(status) || "claimed".equals(status)) {
        byStep.computeIfAbsent(request.getInteger("step"), step -> new ArrayList<>()).add(request);
      }
    }
    List<JsonObject> groups = new ArrayList<>();
    byStep.forEach((step, requests) -> groups.add(new JsonObject()
      .put("step", step)
      .put("count", requests.size())
      .put("open", requests.stream().filter(r -> "open".equals(r.getString("status"))).count())
      .put("oldestAt", requests.stream().mapToLong(r -> r.getLong("createdAt")).min().orElse(0))
      .put("common", common(requests))
      .put("helpIds", new JsonArray(requests.stream().map(r -> r.getString("id")).toList()))));
    groups.sort(Comparator.comparingInt((JsonObject g) -> -g.getInteger("count")).thenComparing(g -> g.getInteger("step")));
    return new JsonArray(groups);
  }

  static JsonObject common(List<JsonObject> requests) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (JsonObject request : requests) {
      for (String phrase : phrases(request.getString("message", ""))) {
        counts.merge(phrase, 1, Integer::sum);
      }
    }
    String best = null;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (entry.getValue() >= 2 && (best == null || better(entry.getKey(), entry.getValue(), best, counts.get(best)))) {
        best = entry.getKey();
      }
    }
    return best == null ? null : new JsonObject().put("phrase", best).put("count", counts.get(best));
  }

  /** In reading order: each word, then the pair it ends. */
  static Set<String> phrases(String message) {
    List<String> words = words(message);
    Set<String> phrases = new LinkedHashSet<>();
    for (int i = 0; i < words.size(); i++) {
      phrases.add(words.get(i));
      if (i > 0) {
        phrases.add(words.get(i - 1) + " " + words.get(i));
      }
    }
    return phrases;
  }

  static List<String> words(String message) {
    String normal = Normalizer.normalize(message, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace("'", "");
    List<String> words = new ArrayList<>();
    for (String split : normal.split("[^\\p{L}\\p{N}]+")) {
      String word = withoutParticle(split);
      if (!word.isEmpty() && !STOP_WORDS.contains(word) && !(word.length() == 1 && word.charAt(0) < 128)
        && !word.chars().allMatch(HelpGroups::isJamo)) {
        words.add(word);
      }
    }
    return words;
  }

  /** JDK를 and 8080이 lose their particle too: a Latin or digit stem takes Korean particles as well. */
  static String withoutParticle(String word) {
    int tail = word.length();
    while (tail > 0 && isHangulSyllable(word.charAt(tail - 1))) {
      tail--;
    }
    String particle = word.substring(tail);
    if (particle.isEmpty() || tail == word.length()) {
      return word;
    }
    if (tail > 0) {
      return LONG_PARTICLES.contains(particle) || SHORT_PARTICLES.contains(particle) ? word.substring(0, tail) : word;
    }
    for (String longParticle : LONG_PARTICLES) {
      if (word.length() > longParticle.length() && word.endsWith(longParticle)) {
        return word.substring(0, word.length() - longParticle.length());
      }
    }
    String last = word.substring(word.length() - 1);
    return word.length() >= 3 && SHORT_PARTICLES.contains(last) ? word.substring(0, word.length() - 1) : word;
  }

  /** Words of bare jamo are moods (ㅠㅠ, ㅋㅋ), not topics; NFKC turns them into conjoining jamo. */
  private static boolean isJamo(int c) {
    return c >= 0x1100 && c <= 0x11FF || c >= 0x3130 && c <= 0x318F;
  }

  private static boolean isHangulSyllable(int c) {
    return c >= 0xAC00 && c <= 0xD7A3;
  }

  /** Ties go to a pair over a single word, then to the phrase met first. */
  private static boolean better(String phrase, int count, String best, int bestCount) {
    if (count != bestCount) {
      return count > bestCount;
    }
    return phrase.contains(" ") && !best.contains(" ");
  }
}

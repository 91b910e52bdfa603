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
 * browser's copy (webroot/src/facilitator/helpGroups.js) follows it rule for rule: NFKC, lower case,
 * split on anything that is not a letter or digit (apostrophes dropped first), drop English stop
 * words and single Latin letters; a message's phrases are its distinct words and pairs of adjacent
 * kept words. A group's common phrase is the one the most of its messages contain (at least two),
 * a pair before a single word at the same count, then the one met first, oldest request first.
 */
final class HelpGroups {
  private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "i", "im", "me", "my", "it", "its", "is",
    "are", "was", "be", "to", "of", "in", "on", "at", "for", "with", "and", "or", "but", "not", "no", "this", "that",
    "when", "what", "how", "can", "cant", "doesnt", "dont", "do", "does", "get", "got", "have", "has", "help",
    "please", "step", "so", "just", "still", "after", "from", "by", "again");

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
    for (String word : normal.split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty() && !STOP_WORDS.contains(word) && !(word.length() == 1 && word.charAt(0) < 128)) {
        words.add(word);
      }
    }
    return words;
  }

  /** Ties go to a pair over a single word, then to the phrase met first. */
  private static boolean better(String phrase, int count, String best, int bestCount) {
    if (count != bestCount) {
      return count > bestCount;
    }
    return phrase.contains(" ") && !best.contains(" ");
  }
}

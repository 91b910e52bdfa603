package io.codelabs.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4: every line is a HELP or TYPE comment or a sample
 * with a valid name, well-quoted labels and a number; anything else fails the parse.
 */
public final class PrometheusText {
  record Sample(String name, Map<String, String> labels, double value) {
  }

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) (" + NAME + ") ?(.*)");
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\",?");
  private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");

  private final List<Sample> samples;
  private final Map<String, String> types;

  private PrometheusText(List<Sample> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    int number = 0;
    for (String line : text.split("\n")) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        Matcher comment = COMMENT.matcher(line);
        if (!comment.matches()) {
          throw new IllegalArgumentException("line " + number + " is no HELP or TYPE comment: " + line);
        }
        if (comment.group(1).equals("TYPE")) {
          if (!TYPES.contains(comment.group(3))) {
            throw new IllegalArgumentException("line " + number + " has an unknown type: " + line);
          }
          types.put(comment.group(2), comment.group(3));
        }
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new IllegalArgumentException("line " + number + " is no sample: " + line);
      }
      samples.add(new Sample(sample.group(1), labels(sample.group(3), number), value(sample.group(4), number)));
    }
    return new PrometheusText(samples, types);
  }

  private static Map<String, String> labels(String text, int number) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return labels;
    }
    Matcher label = LABEL.matcher(text);
    int end = 0;
    while (label.find() && label.start() == end) {
      labels.put(label.group(1), label.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
      end = label.end();
    }
    if (end != text.length()) {
      throw new IllegalArgumentException("line " + number + " has malformed labels: {" + text + "}");
    }
    return labels;
  }

  private static double value(String text, int number) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + number + " has no number: " + text);
        }
      }
    };
  }

  List<Sample> samples() {
    return samples;
  }

  /** The family a metric belongs to by its TYPE line, e.g. "histogram" for a name ending in _bucket. */
  String type(String family) {
    return types.get(family);
  }

  /** The value of the one sample with this name whose labels include the given ones (name, value pairs). */
  public OptionalDouble value(String name, String... labels) {
    List<Sample> matching = samples.stream().filter(s -> s.name.equals(name)).filter(s -> {
      for (int i = 0; i < labels.length; i += 2) {
        if (!labels[i + 1].equals(s.labels.get(labels[i]))) {
          return false;
        }
      }
      return true;
    }).toList();
    if (matching.size() > 1) {
      throw new IllegalStateException(matching.size() + " samples match " + name + " " + List.of(labels));
    }
    return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value);
  }

  /** 0 for a meter not registered yet: a counter that never counted. */
  double valueOrZero(String name, String... labels) {
    return value(name, labels).orElse(0);
  }
}

package io.codelabs.rehearsal;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What to rehearse, from {@code rehearse --option value ...}. */
record RehearsalConfig(URI url, int attendees, int rampSeconds, int durationSeconds, String username,
                       String password, String codelabId, int steps, long progressEveryMs, double chatChance,
                       double helpChance, double disconnectChance, List<String> sourceAddresses, String jsonFile) {

  /** Loopback gives each source address about 28,000 ephemeral ports; stay well below. */
  private static final int SOCKETS_PER_SOURCE_ADDRESS = 20_000;

  static final String USAGE = """
    Usage: java -jar codelabs.jar rehearse --url URL [options]
    Simulates attendees (join, read, progress, chat, help, dropped connections) and one facilitator
    dashboard against a running deployment, then reports latency, delivery, errors and writer batches.

      --url URL                   The deployment's public URL (required), e.g. http://localhost:8080
      --attendees N               Simulated attendees (default 100)
      --ramp-seconds S            Time over which they join (default 30)
      --duration-seconds S        How long they work after the ramp (default 60)
      --username NAME             Facilitator to sign in as (default admin)
      --password PASSWORD         Its password (or CODELABS_REHEARSAL_PASSWORD)
      --codelab ID                Rehearse in this codelab (default: create one)
      --progress-every-seconds S  Mean time between an attendee's actions (default 5)
      --chat-chance P             Chance an action also sends a chat message (default 0.05)
      --help-chance P             Chance an action also asks for help (default 0.02)
      --disconnect-chance P       Chance an action is a dropped connection instead (default 0.01)
      --source-addresses A,B      Local addresses to open sockets from (default: 127.0.0.1, .2, ... as
                                  needed when the URL is on loopback, else the system's choice)
      --json FILE                 Also write the report as JSON to FILE
    """;

  static RehearsalConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("Expected --option value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    String url = options.remove("url");
    if (url == null) {
      throw new IllegalArgumentException("--url is required");
    }
    int attendees = positive(options.remove("attendees"), 100, "attendees");
    String password = options.getOrDefault("password", env.get("CODELABS_REHEARSAL_PASSWORD"));
    options.remove("password");
    if (password == null) {
      throw new IllegalArgumentException("--password (or CODELABS_REHEARSAL_PASSWORD) is required");
    }
    URI uri = URI.create(url.replaceAll("/+$", ""));
    String sources = options.remove("source-addresses");
    RehearsalConfig config = new RehearsalConfig(uri, attendees,
      positive(options.remove("ramp-seconds"), 30, "ramp-seconds"),
      positive(options.remove("duration-seconds"), 60, "duration-seconds"),
      options.getOrDefault("username", "admin"), password, options.get("codelab"), 5,
      1000L * positive(options.remove("progress-every-seconds"), 5, "progress-every-seconds"),
      chance(options.remove("chat-chance"), 0.05, "chat-chance"),
      chance(options.remove("help-chance"), 0.02, "help-chance"),
      chance(options.remove("disconnect-chance"), 0.01, "disconnect-chance"),
      sources != null ? List.of(sources.split(",")) : defaultSources(uri, attendees),
      options.get("json"));
    options.remove("username");
    options.remove("codelab");
    options.remove("json");
    if (!options.isEmpty()) {
      throw new IllegalArgumentException("Unknown option --" + options.keySet().iterator().next());
    }
    return config;
  }

  private static List<String> defaultSources(URI uri, int attendees) {
    String host = uri.getHost();
    if (!"localhost".equals(host) && !host.startsWith("127.")) {
      return List.of();
    }
    List<String> sources = new ArrayList<>();
    int needed = (attendees + 1 + SOCKETS_PER_SOURCE_ADDRESS - 1) / SOCKETS_PER_SOURCE_ADDRESS;
    for (int i = 1; i <= needed; i++) {
      sources.add("127.0.0." + i);
    }
    return sources;
  }

  private static int positive(String value, int fallback, String name) {
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the option's name
    }
    throw new IllegalArgumentException("--" + name + " must be a positive whole number, got " + value);
  }

  private static double chance(String value, double fallback, String name) {
    if (value == null) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed >= 0 && parsed <= 1) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the option's name
    }
    throw new IllegalArgumentException("--" + name + " must be between 0 and 1, got " + value);
  }
}

package io.codelabs.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One node as a separate JVM running the built jar: its printed lines, each with when it came. */
final class NodeProcess {
  static final Pattern HTTP_READY = Pattern.compile("ready at http://localhost:(\\d+)");
  static final Pattern READY = Pattern.compile("ready");
  static final Pattern WRITER = Pattern.compile("^Writer: .* term (\\d+)$");
  static final Pattern PASSWORD = Pattern.compile("^\\s+password: (\\S+)$");
  static final Pattern FENCED = Pattern.compile("^Fenced: ");

  private record Line(String text, long nanos) {
  }

  final String name;
  final Process process;
  final long startedNanos;
  private final Path log;
  private final List<Line> lines = new ArrayList<>();
  private boolean ended;

  private NodeProcess(String name, Process process, long startedNanos, Path log) {
    this.name = name;
    this.log = log;
    this.process = process;
    this.startedNanos = startedNanos;
    Thread reader = new Thread(this::readLines, "stdout-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Small JVMs: the machine is shared, and a node needs little heap for a test workshop. */
  static NodeProcess start(String name, Path work, Path clusterConfig, Path dataDir, String roles, List<String> jvmOptions,
                           String... extra) throws IOException {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-XX:+UseSerialGC"));
    command.addAll(jvmOptions);
    command.addAll(List.of(
      "-jar", System.getProperty("codelabs.jar"),
      "--cluster", "--cluster-config", clusterConfig.toString(), "--cluster-host", "127.0.0.1",
      "--roles", roles, "--data-dir", dataDir.toString(),
      "--port", "0", "--bridge-port", "0", "--tcp-bridge-port", "0", "--metrics-port", "0", "--host", "127.0.0.1",
      "--bridge-host", "127.0.0.1",
      "--http-instances", "1"));
    command.addAll(List.of(extra));
    long started = System.nanoTime();
    Path log = work.resolve(name + ".log");
    Process process = new ProcessBuilder(command)
      .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
      .start();
    return new NodeProcess(name, process, started, log);
  }

  private void readLines() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        synchronized (lines) {
          lines.add(new Line(line, System.nanoTime()));
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // The process died: its output simply ends.
    }
    synchronized (lines) {
      ended = true;
      lines.notifyAll();
    }
  }

  /** The first printed line that matches, waiting for it up to the timeout. */
  Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
    return awaitLine(pattern, timeout).matcher;
  }

  /** When (System.nanoTime) the first line that matches was printed. */
  long printedAt(Pattern pattern, Duration timeout) throws InterruptedException {
    return awaitLine(pattern, timeout).nanos;
  }

  private record Found(Matcher matcher, long nanos) {
  }

  private Found awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (Line line : lines) {
          Matcher matcher = pattern.matcher(line.text);
          if (matcher.find()) {
            return new Found(matcher, line.nanos);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || ended) {
          throw new AssertionError(name + " printed no line matching " + pattern + "; it printed " + texts()
            + (ended ? " and ended; its log ends with " + logTail() : ""));
        }
        lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)))));
      }
    }
  }

  /** Whether a line matching has been printed yet, without waiting. */
  boolean printed(Pattern pattern) {
    synchronized (lines) {
      return lines.stream().anyMatch(line -> pattern.matcher(line.text).find());
    }
  }

  private List<String> logTail() {
    try {
      List<String> all = Files.readAllLines(log);
      return all.subList(Math.max(0, all.size() - 15), all.size());
    } catch (IOException e) {
      return List.of(e.toString());
    }
  }

  private List<String> texts() {
    return lines.stream().map(Line::text).toList();
  }

  int httpPort() throws InterruptedException {
    return Integer.parseInt(await(HTTP_READY, Duration.ofSeconds(90)).group(1));
  }

  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as a supervisor stops a node, and waits until it has exited. */
  void terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not exit within 60 s of SIGTERM");
    }
  }

  void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }
}

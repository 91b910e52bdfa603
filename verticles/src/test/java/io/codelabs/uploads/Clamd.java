package io.codelabs.uploads;

import io.codelabs.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A real clamd for tests, with a database holding only the EICAR test signature (official
 * signatures cannot be downloaded here). Listens on a free TCP port and a unix socket.
 */
public final class Clamd implements AutoCloseable {
  /** The EICAR anti-virus test file, assembled here so no source file is itself a test virus. */
  public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
  private static final String CLAMD = "/usr/sbin/clamd";
  private static final long START_TIMEOUT_MS = 60_000;
  private static final long RETRY_MS = 25;

  public final int port;
  public final Path socket;
  private final Path log;
  private final Process process;

  private Clamd(int port, Path socket, Path log, Process process) {
    this.port = port;
    this.socket = socket;
    this.log = log;
    this.process = process;
  }

  /** Starts clamd and completes once it answers PING. */
  public static Clamd start(Vertx vertx, Path dir) {
    try {
      return launch(vertx, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("clamd could not be started", e);
    }
  }

  private static Clamd launch(Vertx vertx, Path dir) throws IOException {
    Path database = Files.createDirectories(dir.resolve("db"));
    Files.writeString(database.resolve("eicar.ndb"), "Eicar-Test-Signature:0:*:"
      + HexFormat.of().formatHex(EICAR.getBytes(StandardCharsets.US_ASCII)) + "\n");
    int port = freePort();
    Path socket = dir.resolve("clamd.sock");
    Path log = dir.resolve("clamd.log");
    Path conf = dir.resolve("clamd.conf");
    Files.writeString(conf, String.join("\n",
      "Foreground yes",
      "TCPSocket " + port,
      "TCPAddr 127.0.0.1",
      "LocalSocket " + socket,
      "DatabaseDirectory " + database,
      "StreamMaxLength 64M",
      "LogFile " + log,
      "MaxThreads 4",
      ""));
    Process process = new ProcessBuilder(CLAMD, "-c", conf.toString())
      .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
    Clamd clamd = new Clamd(port, socket, log, process);
    ClamdScanner scanner = ClamdScanner.configured(vertx, NodeConfig.of(clamd.tcpConfig()).json());
    try {
      clamd.awaitPong(vertx, scanner, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS)).await();
    } catch (RuntimeException e) {
      clamd.close();
      throw new IllegalStateException("clamd did not start: " + Files.readString(log), e);
    } finally {
      scanner.close();
    }
    return clamd;
  }

  public JsonObject tcpConfig() {
    return new JsonObject().put(UploadVerticle.CLAMD_HOST, "127.0.0.1").put(UploadVerticle.CLAMD_PORT, port);
  }

  public JsonObject socketConfig() {
    return new JsonObject().put(UploadVerticle.CLAMD_SOCKET, socket.toString());
  }

  /** Polls PING on a timer until PONG or the deadline; fails at once if the process died. */
  private Future<Void> awaitPong(Vertx vertx, ClamdScanner scanner, long deadline) {
    return scanner.ping().recover(failure -> {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        return Future.failedFuture(failure);
      }
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(RETRY_MS, id -> awaitPong(vertx, scanner, deadline).onComplete(retried));
      return retried.future();
    });
  }

  /** Kills clamd (as a crash would) and waits for the process to be gone. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }
}

package io.codelabs.uploads;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.codelabs.content.ImportLimits;
import io.codelabs.metrics.Meters;
import io.codelabs.metrics.UploadMeters;
import io.codelabs.storage.FileNames;
import io.codelabs.storage.FileType;
import io.codelabs.storage.Purpose;
import io.codelabs.storage.Quarantine;
import io.codelabs.storage.Storage;
import io.codelabs.storage.UploadLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the files the API verticle of the same node received into quarantine: checks the type by
 * its bytes, hashes, scans, stores under a key of its own, and records through the persistence
 * verticle. Whatever fails, the quarantined bytes are deleted and nothing is recorded.
 */
public final class UploadVerticle extends VerticleBase {
  public static final String CLAMD_HOST = "clamd.host";
  public static final String CLAMD_PORT = "clamd.port";
  public static final String CLAMD_SOCKET = "clamd.socket";

  private static final Logger LOG = LoggerFactory.getLogger(UploadVerticle.class);
  private static final Pattern CODELAB_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final int CHECK_WORKERS = 2;

  private record Inspected(FileType type, long sizeBytes, String sha256) {
  }

  private BusClient bus;
  private Quarantine quarantine;
  private Storage storage;
  private ClamdScanner scanner;
  private UploadMeters scans;
  private WorkerExecutor checks;
  private ContentTransfer content;
  private final AtomicInteger inFlight = new AtomicInteger();

  @Override
  public Future<?> start() {
    bus = new BusClient(vertx, config().getLong(BusClient.TIMEOUT_KEY));
    quarantine = Quarantine.of(config());
    storage = Storage.create(vertx, config());
    scanner = ClamdScanner.configured(vertx, config());
    scans = Meters.of(vertx).uploads;
    checks = vertx.createSharedWorkerExecutor("codelabs-upload-checks", CHECK_WORKERS);
    content = new ContentTransfer(vertx, bus, storage, quarantine, scanner, checks,
      ImportLimits.of(config(), config().getLong(UploadLimits.MAX_FILE_BYTES)),
      config().getInteger(ImportLimits.MAX_IN_FLIGHT));
    if (scanner == null) {
      LOG.warn("No virus scanner configured: uploads are stored after type and size checks only, unscanned."
        + " Set {} or {} to scan them with clamd.", CLAMD_HOST, CLAMD_SOCKET);
    } else {
      LOG.info("Uploads are scanned by {}; a file is kept only when it answers clean", scanner.describe());
    }
    return vertx.fileSystem().mkdirs(quarantine.dir().toString())
      .compose(made -> emptyQuarantine())
      .compose(emptied -> storage.prepare())
      .compose(prepared -> Future.all(
        consume(Address.UPLOAD_TAKE, this::take),
        consume(Address.UPLOAD_REMOVE, this::remove),
        consume(Address.UPLOAD_PURGE, this::purge),
        consume(Address.UPLOAD_STATUS, body -> status()),
        consume(Address.UPLOAD_IMPORT, this::importFile),
        consume(Address.UPLOAD_EXPORT, content::export)))
      .onSuccess(started -> LOG.info("Uploads stored in {}", storage.describe()));
  }

  /**
   * Whatever a stopped or crashed node left half-received or unchecked goes. This verticle starts
   * before the node's API verticle, so no upload is in flight yet.
   */
  private Future<Void> emptyQuarantine() {
    return vertx.fileSystem().readDir(quarantine.dir().toString())
      .compose(left -> {
        if (!left.isEmpty()) {
          LOG.info("Deleting {} unchecked uploads left in the quarantine", left.size());
        }
        return Future.all(left.stream().map(path -> vertx.fileSystem().deleteRecursive(path)).toList());
      })
      .mapEmpty();
  }

  private Future<JsonObject> take(JsonObject body) {
    String name = body.getString("quarantined", "");
    Path file = quarantine.upload(name).orElse(null);
    if (file == null) {
      return Future.failedFuture(ErrorCode.INVALID.failure("Not a quarantined upload: " + name));
    }
    if (inFlight.incrementAndGet() > config().getInteger(UploadLimits.MAX_IN_FLIGHT)) {
      inFlight.decrementAndGet();
      return discard(file, Future.failedFuture(ErrorCode.BUSY.failure("Too many uploads at once, retry shortly")));
    }
    Actor actor = Actor.of(body);
    String codelabId = body.getString("codelabId");
    Purpose purpose = Purpose.of(body.getString("purpose"));
    String fileName = FileNames.normalise(body.getString("fileName"));
    Future<JsonObject> recorded = inspect(file, purpose)
      .compose(inspected -> scan(file, actor, codelabId, purpose, fileName, inspected))
      .compose(inspected -> store(file, actor, codelabId, purpose, body.getString("title"), fileName, inspected));
    return discard(file, recorded).onComplete(done -> inFlight.decrementAndGet());
  }

  private Future<JsonObject> importFile(JsonObject body) {
    Future<JsonObject> imported = content.importFile(body);
    return quarantine.upload(body.getString("quarantined", "")).map(file -> discard(file, imported)).orElse(imported);
  }

  /** Deletes the quarantined file whatever happened (after a local move there is nothing left to delete). */
  private <T> Future<T> discard(Path file, Future<T> outcome) {
    return outcome.eventually(() -> vertx.fileSystem().exists(file.toString())
      .compose(exists -> exists ? vertx.fileSystem().delete(file.toString()) : Future.succeededFuture()));
  }

  private Future<Inspected> inspect(Path file, Purpose purpose) {
    return checks.executeBlocking(() -> {
      long size = Files.size(file);
      if (size == 0) {
        throw ErrorCode.INVALID.failure("The file is empty");
      }
      long maxBytes = config().getLong(UploadLimits.MAX_FILE_BYTES);
      if (size > maxBytes) {
        throw ErrorCode.TOO_LARGE.failure("The file is larger than " + maxBytes + " bytes");
      }
      MessageDigest sha256 = sha256();
      byte[] head;
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
        head = in.readNBytes(FileType.HEAD_BYTES);
        in.transferTo(OutputStream.nullOutputStream());
      }
      FileType type = FileType.detect(head, size <= head.length)
        .filter(purpose.allowed::contains)
        .orElseThrow(() -> ErrorCode.UNSUPPORTED_TYPE.failure("This kind of file is not accepted as a "
          + purpose.wire() + "; accepted: " + String.join(", ", purpose.allowed.stream()
          .map(allowed -> allowed.name().toLowerCase()).toList())));
      return new Inspected(type, size, HexFormat.of().formatHex(sha256.digest()));
    }, false);
  }

  private Future<Inspected> scan(Path file, Actor actor, String codelabId, Purpose purpose, String fileName,
                                 Inspected inspected) {
    if (scanner == null) {
      scans.scanned(UploadMeters.ScanOutcome.UNSCANNED);
      return Future.succeededFuture(inspected);
    }
    return scanner.scan(file).onFailure(failure -> scans.scanned(UploadMeters.ScanOutcome.FAILED)).compose(verdict -> {
      if (verdict.clean()) {
        scans.scanned(UploadMeters.ScanOutcome.CLEAN);
        return Future.succeededFuture(inspected);
      }
      scans.scanned(UploadMeters.ScanOutcome.INFECTED);
      LOG.warn("Rejected an infected upload ({}) from {} {} in codelab {}, sha256 {}", verdict.signature(),
        actor.role(), actor.id(), codelabId, inspected.sha256);
      BusFailure rejected = ErrorCode.UNPROCESSABLE.failure("The file was rejected: the virus scanner found "
        + verdict.signature() + ". Nothing was kept.");
      return bus.request(Address.UPLOAD_REJECTED, actor, new JsonObject()
          .put("codelabId", codelabId).put("purpose", purpose.wire()).put("fileName", fileName)
          .put("sha256", inspected.sha256).put("signature", verdict.signature()))
        .onFailure(failure -> LOG.error("Could not record the rejected upload", failure))
        .transform(audited -> Future.failedFuture(rejected));
    });
  }

  /** Stored first, recorded second; a record that fails takes the stored file away again. */
  private Future<JsonObject> store(Path file, Actor actor, String codelabId, Purpose purpose, String title,
                                   String fileName, Inspected inspected) {
    String key = codelabId + "/" + UUID.randomUUID();
    JsonObject record = new JsonObject()
      .put("codelabId", codelabId)
      .put("kind", purpose == Purpose.IMAGE ? "image" : "file")
      .put("title", title == null || title.isBlank() ? fileName : title.strip())
      .put("fileName", fileName)
      .put("contentType", inspected.type.contentType)
      .put("sizeBytes", inspected.sizeBytes)
      .put("sha256", inspected.sha256)
      .put("storageKey", key);
    Address address = purpose == Purpose.SUBMISSION ? Address.SUBMISSION_RECORD : Address.MATERIAL_RECORD;
    return storage.put(key, file, inspected.type.contentType)
      .compose(stored -> bus.request(address, actor, record)
        .recover(failure -> storage.delete(key).transform(deleted -> Future.failedFuture(failure))));
  }

  private Future<JsonObject> remove(JsonObject body) {
    Actor actor = Actor.of(body);
    boolean submission = "submission".equals(body.getString("kind"));
    JsonObject command = new JsonObject().put("codelabId", body.getString("codelabId"))
      .put(submission ? "submissionId" : "materialId", body.getString("id"));
    return bus.request(submission ? Address.SUBMISSION_DELETE : Address.MATERIAL_DELETE, actor, command)
      .compose(deleted -> {
        String key = (String) deleted.remove("storageKey");
        if (key == null) {
          return Future.succeededFuture(deleted);
        }
        return storage.delete(key)
          .onFailure(failure -> LOG.warn("Deleted the record but not the stored file {}", key, failure))
          .transform(done -> Future.succeededFuture(deleted));
      });
  }

  /** Sent by the API only after the persistence verticle deleted the codelab for its owner. */
  private Future<JsonObject> purge(JsonObject body) {
    String codelabId = body.getString("codelabId", "");
    if (!CODELAB_ID.matcher(codelabId).matches()) {
      return Future.failedFuture(ErrorCode.INVALID.failure("Not a codelab id: " + codelabId));
    }
    return storage.deleteAll(codelabId + "/").map(done -> new JsonObject().put("codelabId", codelabId));
  }

  private Future<JsonObject> status() {
    JsonObject status = new JsonObject().put("storage", storage.describe());
    if (scanner == null) {
      return Future.succeededFuture(status.put("scanner", new JsonObject().put("configured", false)
        .put("detail", "No virus scanner configured: uploads are stored unscanned")));
    }
    JsonObject described = new JsonObject().put("configured", true).put("address", scanner.describe());
    return scanner.ping()
      .map(pong -> described.put("reachable", true))
      .otherwise(failure -> described.put("reachable", false).put("detail", failure.getMessage()))
      .map(scan -> status.put("scanner", scan));
  }

  private Future<Void> consume(Address address, Function<JsonObject, Future<JsonObject>> handler) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(address.address, message ->
      Future.succeededFuture(message.body()).compose(handler).onComplete(message::reply, failure -> fail(message, failure)));
    return consumer.completion();
  }

  private static void fail(Message<JsonObject> message, Throwable failure) {
    ErrorCode code = ErrorCode.of(failure);
    if (code == ErrorCode.INTERNAL) {
      LOG.error("Unexpected failure on {}", message.address(), failure);
      message.fail(code.code, "The upload could not be processed; nothing was kept");
    } else {
      message.fail(code.code, failure.getMessage());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Future<?> stop() {
    if (scanner != null) {
      scanner.close();
    }
    storage.close();
    return checks.close();
  }
}

package io.codelabs.api;

import io.codelabs.api.Auth.Need;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.content.ImportLimits;
import io.codelabs.storage.FileNames;
import io.codelabs.storage.FileType;
import io.codelabs.storage.Purpose;
import io.codelabs.storage.Quarantine;
import io.codelabs.storage.Storage;
import io.codelabs.storage.UploadLimits;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Submissions, materials and whole codelab files (import and export) over HTTP. Uploads are streamed to the node-local quarantine with a
 * hard size limit, outside the OpenAPI router (whose body handler would buffer them), then handed
 * to this node's uploads verticle; only the quarantined file's name crosses the bus.
 */
final class FileRoutes {
  /** Room for the multipart framing and the small form fields around the file. */
  private static final long FORM_ALLOWANCE = 64 * 1024;
  private static final long LINGER_MS = 2_000;
  private static final int LINGER_FACTOR = 4;
  /** What the persistence side keeps of a title. */
  private static final int MAX_TITLE_LENGTH = 200;
  /** The longest name file systems take; longer ones are not a file's name. */
  private static final int MAX_NAME_LENGTH = 255;
  /** The multipart decoder's limits for the fields around the file (the title is one). */
  static final int MAX_FORM_FIELDS = 16;
  static final int MAX_FORM_FIELD_BYTES = 4_096;

  private final Vertx vertx;
  private final HttpApiVerticle api;
  private final BusClient bus;
  private final Storage storage;
  private final Quarantine quarantine;
  private final long maxFileBytes;
  private final long maxImportBytes;
  private final int maxInFlight;
  private final long takeTimeoutMs;
  private final AtomicInteger inFlight = new AtomicInteger();

  private record Received(Path path, String fileName, String title) {
  }

  FileRoutes(Vertx vertx, HttpApiVerticle api, JsonObject config, Storage storage) {
    this.vertx = vertx;
    this.api = api;
    this.bus = api.bus();
    this.storage = storage;
    this.quarantine = Quarantine.of(config);
    this.maxFileBytes = config.getLong(UploadLimits.MAX_FILE_BYTES);
    this.maxImportBytes = config.getLong(ImportLimits.MAX_BYTES);
    this.maxInFlight = config.getInteger(UploadLimits.MAX_IN_FLIGHT);
    this.takeTimeoutMs = config.getLong(UploadLimits.SCAN_TIMEOUT_MS) + 3 * config.getLong(BusClient.TIMEOUT_KEY);
  }

  Future<Void> prepare() {
    return vertx.fileSystem().mkdirs(quarantine.dir().toString());
  }

  private static final Pattern UPLOAD_PATH = Pattern.compile("/api/codelabs/([^/]+/(submissions/files|materials/files|images)|import)");
  private static final Pattern EXPORT_PATH = Pattern.compile("/api/codelabs/[^/]+/export");
  /** An import checks, scans and stores each of its files, one after the other. */
  private static final long IMPORT_TIMEOUT_MS = 240_000;

  /** The multipart routes below, which get longer than other requests to arrive, and exports, which take longer to write. */
  static boolean isUpload(HttpServerRequest request) {
    return request.method() == HttpMethod.POST && UPLOAD_PATH.matcher(request.path()).matches()
      || request.method() == HttpMethod.GET && EXPORT_PATH.matcher(request.path()).matches();
  }

  /** Routes that must see the raw request stream, ordered before the OpenAPI router's body handler. */
  void mountIntake(Router router) {
    router.post("/api/codelabs/:codelabId/submissions/files").order(-1)
      .handler(ctx -> take(ctx, Purpose.SUBMISSION));
    router.post("/api/codelabs/:codelabId/materials/files").order(-1)
      .handler(ctx -> take(ctx, Purpose.MATERIAL));
    router.post("/api/codelabs/:codelabId/images").order(-1)
      .handler(ctx -> take(ctx, Purpose.IMAGE));
    router.post("/api/codelabs/import").order(-1).handler(this::takeImport);
  }

  void mount(RouterBuilder builder) {
    on(builder, "listSubmissions", ctx -> ApiRoutes.respond(ctx, 200, caller(ctx, Need.ANYONE)
      .compose(actor -> bus.request(Address.SUBMISSION_LIST, actor, ApiRoutes.requestBody(ctx)))));
    on(builder, "submitLink", ctx -> ApiRoutes.respond(ctx, 201, caller(ctx, Need.ATTENDEE)
      .compose(actor -> bus.request(Address.SUBMISSION_RECORD, actor, ApiRoutes.requestBody(ctx).put("kind", "link")))));
    on(builder, "deleteSubmission", ctx -> remove(ctx, "submission", ctx.pathParam("submissionId"), Need.ATTENDEE));
    on(builder, "downloadSubmission", ctx -> download(ctx, "submission", ctx.pathParam("submissionId")));
    on(builder, "listMaterials", ctx -> ApiRoutes.respond(ctx, 200, caller(ctx, Need.ANYONE)
      .compose(actor -> bus.request(Address.MATERIAL_LIST, actor, ApiRoutes.requestBody(ctx)))));
    on(builder, "addMaterialLink", ctx -> ApiRoutes.respond(ctx, 201, caller(ctx, Need.FACILITATOR)
      .compose(actor -> bus.request(Address.MATERIAL_RECORD, actor, ApiRoutes.requestBody(ctx).put("kind", "link")))));
    on(builder, "deleteMaterial", ctx -> remove(ctx, "material", ctx.pathParam("materialId"), Need.FACILITATOR));
    on(builder, "downloadMaterial", ctx -> download(ctx, "material", ctx.pathParam("materialId")));
    on(builder, "exportCodelab", this::export);
  }

  private void take(RoutingContext ctx, Purpose purpose) {
    String codelabId = ctx.pathParam("codelabId");
    intake(ctx, maxFileBytes, () -> permitted(ctx, purpose, codelabId), (actor, received) ->
      bus.requestLocal(Address.UPLOAD_TAKE, actor, new JsonObject()
        .put("codelabId", codelabId)
        .put("purpose", purpose.wire())
        .put("quarantined", received.path.getFileName().toString())
        .put("fileName", received.fileName)
        .put("title", received.title), takeTimeoutMs));
  }

  /** A codelab file (an export ZIP, an Open Codelabs export, claat Markdown or a claat ZIP) becomes a new codelab. */
  private void takeImport(RoutingContext ctx) {
    intake(ctx, maxImportBytes, () -> caller(ctx, Need.FACILITATOR), (actor, received) ->
      bus.requestLocal(Address.UPLOAD_IMPORT, actor, new JsonObject()
        .put("quarantined", received.path.getFileName().toString())
        .put("fileName", received.fileName), IMPORT_TIMEOUT_MS));
  }

  private void intake(RoutingContext ctx, long maxBytes, Supplier<Future<Actor>> permitted,
                      BiFunction<Actor, Received, Future<JsonObject>> handOver) {
    HttpServerRequest request = ctx.request();
    request.pause();
    ctx.response().putHeader("X-Content-Type-Options", "nosniff");
    Promise<Void> cutOff = Promise.promise();
    ctx.addEndHandler(ended -> {
      if (ended.failed() && ctx.response().closed()) {
        cutOff.tryFail(ErrorCode.REQUEST_TIMEOUT.failure("The connection closed before the upload was complete"));
      } else if (ended.failed()) {
        cutOff.tryFail(unreadable(ended.cause()));
      } else {
        discardRest(request);
      }
    });
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      Problems.send(ctx, ErrorCode.UNSUPPORTED_TYPE, "Send the file as multipart/form-data");
      return;
    }
    if (declaredLength(request) > maxBytes + FORM_ALLOWANCE) {
      Problems.send(ctx, ErrorCode.TOO_LARGE, tooLarge(maxBytes));
      return;
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      Problems.send(ctx, ErrorCode.BUSY, "Too many uploads at once, retry shortly");
      return;
    }
    permitted.get().compose(actor -> receive(request, maxBytes, cutOff.future()).compose(received ->
        handOver.apply(actor, received).eventually(() -> discard(received.path))))
      .onComplete(reply -> HttpApiVerticle.json(ctx, 201, reply), failure -> Problems.send(ctx, failure))
      .onComplete(done -> inFlight.decrementAndGet());
  }

  /**
   * After an early answer the client is usually still sending; closing at once would reset the
   * connection before it reads the answer. So the rest is read into nothing for a short while (as
   * servers' lingering close does), bounded in time and bytes, and then the connection is closed.
   */
  private void discardRest(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    long[] discarded = {0};
    long timer = vertx.setTimer(LINGER_MS, fired -> request.connection().close());
    request.handler(chunk -> {
      discarded[0] += chunk.length();
      if (discarded[0] > LINGER_FACTOR * (Math.max(maxFileBytes, maxImportBytes) + FORM_ALLOWANCE)) {
        request.connection().close();
      }
    });
    request.endHandler(end -> vertx.cancelTimer(timer));
    request.resume();
  }

  /** Checked before a byte of the body is read, so nobody can fill the quarantine of a codelab not theirs. */
  private Future<Actor> permitted(RoutingContext ctx, Purpose purpose, String codelabId) {
    if (purpose == Purpose.SUBMISSION) {
      return caller(ctx, Need.ATTENDEE).compose(actor -> {
        if (!codelabId.equals(actor.codelabId())) {
          throw ErrorCode.FORBIDDEN.failure("Only attendees of this codelab may hand in work here");
        }
        return bus.request(Address.SUBMISSION_ALLOWANCE, actor, new JsonObject().put("codelabId", codelabId))
          .map(allowance -> withinAllowance(ctx, actor, allowance));
      });
    }
    return caller(ctx, Need.FACILITATOR).compose(actor -> bus.request(Address.ACCESS_CHECK, actor,
      new JsonObject().put("codelabId", codelabId)).map(access -> {
        if (!"owner".equals(access.getString("access")) && !"assistant".equals(access.getString("access"))) {
          throw ErrorCode.FORBIDDEN.failure("Only this codelab's facilitators may add materials");
        }
        return actor;
      }));
  }

  /** The body's declared length, or -1 when it is not declared (chunked) or not a number. */
  private static long declaredLength(HttpServerRequest request) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return declared != null && declared.matches("\\d{1,18}") ? Long.parseLong(declared) : -1;
  }

  /** The declared length, less the form's room, is a lower bound of the file's size. */
  private Actor withinAllowance(RoutingContext ctx, Actor actor, JsonObject allowance) {
    long leastFileBytes = Math.max(0, declaredLength(ctx.request()) - FORM_ALLOWANCE);
    long maxBytes = allowance.getLong("maxBytes");
    if (allowance.getLong("bytes") + leastFileBytes > maxBytes) {
      throw ErrorCode.TOO_LARGE.failure("This file would take your submissions past " + maxBytes + " bytes ("
        + allowance.getLong("bytes") + " used); delete one first");
    }
    return actor;
  }

  /**
   * The uploads verticle deletes what it took; this covers a node without one, or one that did not
   * answer in time (it then fails to store a file that is gone, so nothing is kept either way).
   */
  private Future<Void> discard(Path quarantined) {
    return vertx.fileSystem().exists(quarantined.toString()).compose(exists -> exists
      ? vertx.fileSystem().delete(quarantined.toString()) : Future.succeededFuture());
  }

  /**
   * Streams the one file part to quarantine, stopping at the size limit. Fails, with its file
   * closed and deleted, when the form is malformed or the connection closes first (a cut-off body
   * ends in a closed connection once the idle or upload time is up).
   */
  private Future<Received> receive(HttpServerRequest request, long maxBytes, Future<Void> cutOff) {
    Path path = quarantine.newUpload();
    Promise<Received> received = Promise.promise();
    Promise<String> stored = Promise.promise();
    Promise<AsyncFile> opened = Promise.promise();
    AtomicBoolean seen = new AtomicBoolean();
    request.setExpectMultipart(true);
    request.uploadHandler(upload -> {
      if (!"file".equals(upload.name()) || !seen.compareAndSet(false, true)) {
        upload.handler(ignored -> { });
        received.tryFail(ErrorCode.INVALID.failure("Send exactly one file, in the form field \"file\""));
        return;
      }
      if (upload.filename() != null && upload.filename().length() > MAX_NAME_LENGTH) {
        upload.handler(ignored -> { });
        received.tryFail(ErrorCode.INVALID.failure("A file name may be at most " + MAX_NAME_LENGTH + " characters"));
        return;
      }
      upload.pause();
      vertx.fileSystem().open(path.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .onComplete(file -> {
          if (!opened.tryComplete(file)) {
            file.close().compose(closed -> discard(path));
          }
        }, opened::tryFail);
      opened.future().onComplete(file -> copy(request, upload, file, maxBytes, stored), stored::tryFail);
    });
    request.exceptionHandler(failure -> received.tryFail(unreadable(failure)));
    request.endHandler(end -> {
      if (!seen.get()) {
        received.tryFail(ErrorCode.INVALID.failure("No file in the form field \"file\""));
        return;
      }
      String title = request.formAttributes().get("title");
      if (title != null && title.length() > MAX_TITLE_LENGTH) {
        received.tryFail(ErrorCode.INVALID.failure("A title may be at most " + MAX_TITLE_LENGTH + " characters"));
        return;
      }
      stored.future().onComplete(name -> received.tryComplete(new Received(path, name, title)), received::tryFail);
    });
    stored.future().onFailure(received::tryFail);
    cutOff.onFailure(received::tryFail);
    request.resume();
    return received.future().recover(failure -> {
      request.pause();
      opened.tryFail(failure);
      Future<Void> closed = opened.future().compose(AsyncFile::close);
      return closed.otherwiseEmpty().compose(v -> discard(path)).otherwiseEmpty()
        .compose(v -> Future.failedFuture(failure));
    });
  }

  /** A form the multipart decoder refuses (too many fields, a field too large) is the client's fault. */
  private static Throwable unreadable(Throwable failure) {
    return failure instanceof HttpClosedException ? failure
      : ErrorCode.INVALID.failure("The form could not be read: at most " + MAX_FORM_FIELDS + " fields of "
        + MAX_FORM_FIELD_BYTES + " bytes besides the file");
  }

  private void copy(HttpServerRequest request, HttpServerFileUpload upload, AsyncFile file, long maxBytes,
                    Promise<String> stored) {
    long[] written = {0};
    upload.handler(chunk -> {
      if (stored.future().isComplete()) {
        return;
      }
      written[0] += chunk.length();
      if (written[0] > maxBytes) {
        request.pause();
        stored.tryFail(ErrorCode.TOO_LARGE.failure(tooLarge(maxBytes)));
        return;
      }
      file.write(chunk);
      if (file.writeQueueFull()) {
        upload.pause();
        file.drainHandler(drained -> upload.resume());
      }
    });
    upload.exceptionHandler(failure -> stored.tryFail(unreadable(failure)));
    upload.endHandler(end -> {
      if (!stored.future().isComplete()) {
        file.close().onComplete(closed -> stored.tryComplete(upload.filename()), stored::tryFail);
      }
    });
    upload.resume();
  }

  private void remove(RoutingContext ctx, String kind, String id, Need need) {
    caller(ctx, need).compose(actor -> bus.requestLocal(Address.UPLOAD_REMOVE, actor, new JsonObject()
        .put("codelabId", ctx.pathParam("codelabId")).put("kind", kind).put("id", id), takeTimeoutMs))
      .onComplete(done -> ctx.response().setStatusCode(204).end(), failure -> Problems.send(ctx, failure));
  }

  /** Always as an attachment with a type we chose, except images, which passed their checks to be shown inline. */
  private void download(RoutingContext ctx, String kind, String id) {
    caller(ctx, Need.ANYONE)
      .compose(actor -> bus.request(Address.FILE_LOCATE, actor, new JsonObject()
        .put("codelabId", ctx.pathParam("codelabId")).put("kind", kind).put("id", id)))
      .compose(located -> storage.read(located.getString("storageKey")).compose(readable -> {
        FileType type = FileType.ofContentType(located.getString("contentType")).orElse(null);
        boolean inline = "image".equals(located.getString("kind")) && type != null && type.image;
        HttpServerResponse response = ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/octet-stream" : type.contentType)
          .putHeader("Content-Disposition", disposition(inline, located.getString("fileName")))
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Content-Security-Policy", "default-src 'none'; sandbox")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        return response.sendFile(readable.path().toString()).onComplete(sent -> {
          if (readable.temporary()) {
            vertx.fileSystem().delete(readable.path().toString());
          }
        });
      }))
      .onFailure(failure -> Problems.send(ctx, failure));
  }

  /** RFC 6266: an ASCII fallback name and the exact one percent-encoded. */
  static String disposition(boolean inline, String fileName) {
    String name = FileNames.normalise(fileName);
    String ascii = name.replaceAll("[^\\x20-\\x7E]|[\"\\\\%]", "_");
    return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
      + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String tooLarge(long maxBytes) {
    return "A file may be at most " + maxBytes + " bytes; nothing was kept";
  }

  /** Written by this node's uploads verticle into the quarantine, sent as an attachment, then deleted. */
  private void export(RoutingContext ctx) {
    caller(ctx, Need.FACILITATOR)
      .compose(actor -> bus.requestLocal(Address.UPLOAD_EXPORT, actor, new JsonObject()
        .put("codelabId", ctx.pathParam("codelabId")), IMPORT_TIMEOUT_MS))
      .compose(exported -> {
        Path file = quarantine.export(exported.getString("exported", "")).orElseThrow(() ->
          ErrorCode.INTERNAL.failure("The export was not written where expected"));
        return ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/zip")
          .putHeader("Content-Disposition", disposition(false, exported.getString("fileName")))
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .sendFile(file.toString())
          .onComplete(sent -> vertx.fileSystem().delete(file.toString()));
      })
      .onFailure(failure -> {
        if (ctx.response().headWritten()) {
          ctx.request().connection().close();
        } else {
          Problems.send(ctx, failure);
        }
      });
  }

  private Future<Actor> caller(RoutingContext ctx, Need need) {
    return api.auth().compose(auth -> auth.caller(ctx, need));
  }

  private static void on(RouterBuilder builder, String operationId, Handler<RoutingContext> handler) {
    builder.getRoute(operationId).addHandler(handler);
  }
}

package io.codelabs.uploads;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.content.CodelabArchive;
import io.codelabs.content.Draft;
import io.codelabs.content.ImportLimits;
import io.codelabs.content.Imports;
import io.codelabs.markdown.Markdown;
import io.codelabs.storage.FileNames;
import io.codelabs.storage.FileType;
import io.codelabs.storage.Purpose;
import io.codelabs.storage.Quarantine;
import io.codelabs.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Codelabs in and out as files. An import is read and checked on a worker, its images and materials are checked by
 * their bytes, scanned and stored under a new codelab id, and the codelab with its quizzes is created by one writer
 * command; if anything fails, every file stored for it is deleted. An export is written into the quarantine for the API
 * verticle of this node to send.
 */
final class ContentTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(ContentTransfer.class);

  private final Vertx vertx;
  private final BusClient bus;
  private final Storage storage;
  private final Quarantine quarantine;
  private final ClamdScanner scanner;
  private final WorkerExecutor workers;
  private final ImportLimits limits;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  private record Stored(Draft.File file, String materialId, String url, JsonObject record) {
  }

  ContentTransfer(Vertx vertx, BusClient bus, Storage storage, Quarantine quarantine, ClamdScanner scanner,
                  WorkerExecutor workers, ImportLimits limits, int maxInFlight) {
    this.vertx = vertx;
    this.bus = bus;
    this.storage = storage;
    this.quarantine = quarantine;
    this.scanner = scanner;
    this.workers = workers;
    this.limits = limits;
    this.maxInFlight = maxInFlight;
  }

  /** The material URL a step's Markdown shows a stored file with. */
  static String url(String codelabId, String materialId) {
    return "/api/codelabs/" + codelabId + "/materials/" + materialId + "/file";
  }

  Future<JsonObject> importFile(JsonObject body) {
    String name = body.getString("quarantined", "");
    Path upload = quarantine.upload(name).orElse(null);
    if (upload == null) {
      return Future.failedFuture(ErrorCode.INVALID.failure("Not a quarantined upload: " + name));
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return Future.failedFuture(ErrorCode.BUSY.failure("Too many imports at once, retry shortly"));
    }
    Actor actor = Actor.of(body);
    String codelabId = UUID.randomUUID().toString();
    return workers.executeBlocking(() -> Imports.read(upload, body.getString("fileName"), limits), false)
      .compose(draft -> {
        List<String> warnings = new ArrayList<>(draft.warnings());
        return storeAll(actor, codelabId, draft.files(), warnings)
          .compose(stored -> create(actor, codelabId, draft, stored))
          .recover(failure -> storage.deleteAll(codelabId + "/")
            .onFailure(left -> LOG.warn("Files of the failed import {} were not deleted", codelabId, left))
            .transform(cleaned -> Future.failedFuture(failure)))
          .map(created -> new JsonObject().put("codelabId", codelabId).put("warnings", new JsonArray(warnings)));
      })
      .onComplete(done -> inFlight.decrementAndGet());
  }

  /** One file after the other, so an import holds at most one scan and one store at a time. */
  private Future<List<Stored>> storeAll(Actor actor, String codelabId, List<Draft.File> files, List<String> warnings) {
    Future<List<Stored>> chain = Future.succeededFuture(new ArrayList<>());
    for (Draft.File file : files) {
      chain = chain.compose(stored -> store(actor, codelabId, file, warnings).map(one -> {
        if (one != null) {
          stored.add(one);
        }
        return stored;
      }));
    }
    return chain;
  }

  /** Null when the file is not of a kind its place accepts: it is left out with a warning. */
  private Future<Stored> store(Actor actor, String codelabId, Draft.File file, List<String> warnings) {
    Purpose purpose = "image".equals(file.kind()) ? Purpose.IMAGE : Purpose.MATERIAL;
    byte[] bytes = file.bytes();
    FileType type = FileType.detect(Arrays.copyOf(bytes, Math.min(bytes.length, FileType.HEAD_BYTES)),
      bytes.length <= FileType.HEAD_BYTES).filter(purpose.allowed::contains).orElse(null);
    if (type == null || bytes.length == 0) {
      warnings.add("\"" + file.path() + "\" is not an accepted " + ("image".equals(file.kind()) ? "image" : "material")
        + " (" + String.join(", ", purpose.allowed.stream().map(allowed -> allowed.name().toLowerCase()).toList())
        + ") and was left out; steps showing it show nothing there");
      return Future.succeededFuture();
    }
    Path scratch = quarantine.newUpload();
    String materialId = UUID.randomUUID().toString();
    String key = codelabId + "/" + UUID.randomUUID();
    String fileName = FileNames.normalise(file.fileName());
    JsonObject record = new JsonObject().put("id", materialId).put("kind", file.kind())
      .put("title", file.title() == null || file.title().isBlank() ? fileName : file.title().strip())
      .put("fileName", fileName).put("contentType", type.contentType).put("sizeBytes", bytes.length)
      .put("sha256", sha256(bytes)).put("storageKey", key);
    return workers.executeBlocking(() -> Files.write(scratch, bytes), false)
      .compose(written -> scan(actor, codelabId, scratch, file))
      .compose(clean -> storage.put(key, scratch, type.contentType))
      .eventually(() -> vertx.fileSystem().exists(scratch.toString())
        .compose(exists -> exists ? vertx.fileSystem().delete(scratch.toString()) : Future.succeededFuture()))
      .map(stored -> new Stored(file, materialId, url(codelabId, materialId), record));
  }

  private Future<Void> scan(Actor actor, String codelabId, Path scratch, Draft.File file) {
    if (scanner == null) {
      return Future.succeededFuture();
    }
    return scanner.scan(scratch).compose(verdict -> {
      if (verdict.clean()) {
        return Future.succeededFuture();
      }
      LOG.warn("Rejected an import by {} {}: {} in {} ({})", actor.role(), actor.id(), verdict.signature(),
        file.path(), codelabId);
      return Future.failedFuture(ErrorCode.UNPROCESSABLE.failure("The import was rejected: the virus scanner found "
        + verdict.signature() + " in " + file.path() + ". Nothing was kept."));
    });
  }

  private Future<JsonObject> create(Actor actor, String codelabId, Draft draft, List<Stored> stored) {
    Map<Pattern, String> urls = new LinkedHashMap<>();
    stored.forEach(one -> urls.put(reference(one.file.path()), one.url));
    return workers.executeBlocking(() -> {
      JsonArray steps = new JsonArray();
      for (Draft.Step step : draft.steps()) {
        String markdown = withUrls(step.markdown(), urls);
        steps.add(new JsonObject().put("title", step.title()).put("markdown", markdown)
          .put("html", Markdown.toSafeHtml(markdown)).put("durationMinutes", step.durationMinutes()));
      }
      JsonArray quizzes = new JsonArray();
      for (JsonObject quiz : draft.quizzes()) {
        JsonObject rendered = quiz.copy();
        rendered.getJsonArray("questions").stream().map(JsonObject.class::cast)
          .filter(question -> question.getValue("prompt") instanceof String).forEach(question -> {
            String prompt = withUrls(question.getString("prompt"), urls);
            question.put("prompt", prompt).put("promptHtml", Markdown.toSafeHtml(prompt));
          });
        quizzes.add(rendered);
      }
      return new JsonObject().put("steps", steps).put("quizzes", quizzes);
    }, false).compose(rendered -> {
      JsonArray materials = new JsonArray();
      stored.forEach(one -> materials.add(one.record));
      draft.links().forEach(link -> materials.add(new JsonObject().put("id", UUID.randomUUID().toString())
        .put("kind", "link").put("title", link.title().isBlank() ? link.url() : link.title()).put("url", link.url())));
      Draft.Settings settings = draft.settings();
      return bus.request(Address.CODELAB_IMPORT, actor, new JsonObject().put("codelabId", codelabId)
        .put("title", settings.title()).put("summary", settings.summary()).put("author", settings.author())
        .put("categories", new JsonArray(settings.categories())).put("visibility", settings.visibility())
        .put("joinCode", settings.joinCode()).put("completion", settings.completion())
        .put("steps", rendered.getJsonArray("steps")).put("quizzes", rendered.getJsonArray("quizzes"))
        .put("materials", materials));
    });
  }

  private static String withUrls(String markdown, Map<Pattern, String> urls) {
    String result = markdown;
    for (Map.Entry<Pattern, String> url : urls.entrySet()) {
      result = url.getKey().matcher(result).replaceAll(Matcher.quoteReplacement(url.getValue()));
    }
    return result;
  }

  /** An archive path where it stands as a whole path, not inside a longer name. */
  private static Pattern reference(String path) {
    return Pattern.compile("(?<![\\w./-])" + Pattern.quote(path) + "(?![\\w.-])");
  }

  Future<JsonObject> export(JsonObject body) {
    Actor actor = Actor.of(body);
    return bus.request(Address.CODELAB_EXPORT, actor, new JsonObject().put("codelabId", body.getString("codelabId")))
      .compose(codelab -> {
        String codelabId = codelab.getString("codelabId");
        List<JsonObject> materials = codelab.getJsonArray("materials").stream().map(JsonObject.class::cast).toList();
        List<JsonObject> stored = materials.stream().filter(material -> material.getString("storageKey") != null)
          .toList();
        List<Draft.File> unnamed = stored.stream().map(material -> new Draft.File("", material.getString("kind"),
          material.getString("title"), material.getString("fileName"), null)).toList();
        List<String> paths = CodelabArchive.filePaths(unnamed);
        List<Draft.File> files = new ArrayList<>();
        Map<String, String> pathByUrl = new HashMap<>();
        for (int i = 0; i < stored.size(); i++) {
          Draft.File file = unnamed.get(i);
          files.add(new Draft.File(paths.get(i), file.kind(), file.title(), file.fileName(), null));
          pathByUrl.put(url(codelabId, stored.get(i).getString("id")), paths.get(i));
        }
        List<Draft.Link> links = materials.stream().filter(material -> "link".equals(material.getString("kind")))
          .map(material -> new Draft.Link(material.getString("title"), material.getString("url"))).toList();
        List<Draft.Step> steps = codelab.getJsonArray("steps").stream().map(JsonObject.class::cast)
          .map(step -> new Draft.Step(step.getString("title"), step.getInteger("durationMinutes"),
            withPaths(step.getString("markdown"), pathByUrl))).toList();
        List<JsonObject> quizzes = codelab.getJsonArray("quizzes").stream().map(JsonObject.class::cast).map(quiz -> {
          JsonObject portable = quiz.copy();
          portable.getJsonArray("questions").stream().map(JsonObject.class::cast).forEach(question ->
            question.put("prompt", withPaths(question.getString("prompt"), pathByUrl)));
          return portable;
        }).toList();
        Draft.Settings settings = new Draft.Settings(codelab.getString("title"), codelab.getString("summary"),
          codelab.getString("author"), codelab.getJsonArray("categories").stream().map(String::valueOf).toList(),
          codelab.getString("visibility"), codelab.getString("joinCode"), codelab.getJsonObject("completion"));
        Draft draft = new Draft(settings, steps, files, links, quizzes, List.of());
        return fetch(stored, paths).compose(readable -> write(draft, readable)
          .eventually(() -> Future.all(readable.values().stream().filter(Storage.Readable::temporary)
            .map(copy -> vertx.fileSystem().delete(copy.path().toString())).toList())))
          .map(name -> new JsonObject().put("exported", name).put("fileName", CodelabArchive.fileName(settings.title())));
      });
  }

  private static String withPaths(String markdown, Map<String, String> pathByUrl) {
    String result = markdown;
    for (Map.Entry<String, String> url : pathByUrl.entrySet()) {
      result = result.replace(url.getKey(), url.getValue());
    }
    return result;
  }

  /** Local paths of the stored files, one at a time (from a bucket each is a temporary copy). */
  private Future<Map<String, Storage.Readable>> fetch(List<JsonObject> stored, List<String> paths) {
    Future<Map<String, Storage.Readable>> chain = Future.succeededFuture(new LinkedHashMap<>());
    for (int i = 0; i < stored.size(); i++) {
      String key = stored.get(i).getString("storageKey");
      String path = paths.get(i);
      chain = chain.compose(readable -> storage.read(key).map(one -> {
        readable.put(path, one);
        return readable;
      }));
    }
    return chain;
  }

  private Future<String> write(Draft draft, Map<String, Storage.Readable> readable) {
    Path target = quarantine.newExport();
    Map<String, Path> sources = new HashMap<>();
    readable.forEach((path, one) -> sources.put(path, one.path()));
    return workers.executeBlocking(() -> {
      try (OutputStream out = Files.newOutputStream(target)) {
        CodelabArchive.write(draft, sources, out);
      } catch (RuntimeException | IOException e) {
        Files.deleteIfExists(target);
        throw e;
      }
      return target.getFileName().toString();
    }, false);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

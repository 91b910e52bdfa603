package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.ErrorCode;
import io.codelabs.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online backups: a consistent copy of the database that the writer takes between two batches
 * (VACUUM INTO), then every stored file, each listed with its size and SHA-256 in a manifest. Only
 * the writer runs them, one at a time, so one cluster makes one backup. Only the snapshot holds the
 * writer; files are copied on a worker while commands flow again. A backup is written under a
 * {@code .partial} name and renamed once its manifest is on disk, so a directory without that
 * suffix is always complete.
 */
final class Backups {
  static final int FORMAT = 1;
  static final String MANIFEST = "manifest.json";
  static final String FILES = "files";
  static final String PARTIAL = ".partial";
  /** Written next to a backup once its copy in the storage is complete; not part of the backup itself. */
  private static final String COPIED = "copied-to.txt";
  private static final String PREFIX = "backup-";
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
    .withZone(ZoneOffset.UTC);
  private static final int REMEMBERED_FAILURES = 10;
  private static final Logger LOG = LoggerFactory.getLogger(Backups.class);

  private final Vertx vertx;
  private final Writer writer;
  private final Storage storage;
  private final Path target;
  private final int keep;
  private final String epoch;
  private final long term;
  private final String nodeId;
  /** Where in the storage each backup is copied to ({@code <prefix>/<id>/...}); empty for none. */
  private final String copyPrefix;
  /** Read and written on the verticle's context only. */
  private String running;
  private long runningSince;
  private final Deque<JsonObject> failures = new ArrayDeque<>();

  Backups(Vertx vertx, Writer writer, Storage storage, Path target, int keep, String copyPrefix, String epoch, long term,
          String nodeId) {
    this.vertx = vertx;
    this.writer = writer;
    this.storage = storage;
    this.target = target.toAbsolutePath().normalize();
    if (keep < 1) {
      throw new IllegalArgumentException("backup.keep must be at least 1: the backup just made is always kept");
    }
    this.keep = keep;
    this.copyPrefix = copyPrefix.replaceAll("^/+|/+$", "");
    this.epoch = epoch;
    this.term = term;
    this.nodeId = nodeId;
  }

  /** An admin's request: checked and audited in the writer's transaction, answered once the backup is under way. */
  Future<JsonObject> onDemand(JsonObject body) {
    return start(new JsonObject().put("actor", body.getValue("actor")));
  }

  Future<JsonObject> scheduled() {
    return start(new JsonObject().put("scheduled", true).put("nodeId", nodeId));
  }

  /** The writer command that audits a backup's start: an admin's, or the node's own when scheduled. */
  static JsonObject audit(Tx tx, JsonObject body) throws SQLException {
    String id = body.getString("backupId");
    if (body.getBoolean("scheduled", false)) {
      tx.audit("SYSTEM", body.getString("nodeId"), "instance.backup", null,
        new JsonObject().put("backupId", id).put("scheduled", true));
    } else {
      Actor actor = AccountCommands.requireAdmin(tx, body);
      tx.audit(actor, "instance.backup", null, new JsonObject().put("backupId", id));
    }
    return new JsonObject();
  }

  /**
   * Every command acknowledged before the audit commits is in the snapshot: the writer takes it
   * after that batch, on the same connection.
   */
  private Future<JsonObject> start(JsonObject audit) {
    if (running != null) {
      return Future.failedFuture(ErrorCode.CONFLICT.failure("Backup " + running + " is still running"));
    }
    String id = PREFIX + ID_TIME.format(Instant.now());
    long startedAt = System.currentTimeMillis();
    running = id;
    runningSince = startedAt;
    return writer.submit(Writer.Internal.BACKUP_AUDIT, audit.put("backupId", id))
      .onFailure(failure -> running = null)
      .map(audited -> {
        run(id, startedAt);
        return new JsonObject().put("id", id).put("status", "running").put("startedAt", startedAt);
      });
  }

  private void run(String id, long startedAt) {
    Path partial = target.resolve(id + PARTIAL);
    long[] snapshotMillis = new long[1];
    vertx.executeBlocking(() -> Files.createDirectories(partial), false)
      .compose(dir -> writer.outsideTransaction(connection -> {
        long snapshotStart = System.nanoTime();
        try (PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
          vacuum.setString(1, partial.resolve(Database.FILE_NAME).toString());
          vacuum.execute();
        }
        snapshotMillis[0] = (System.nanoTime() - snapshotStart) / 1_000_000;
      }))
      .compose(v -> storage.keys())
      .compose(keys -> copyFiles(keys, partial.resolve(FILES)))
      .compose(v -> vertx.executeBlocking(() -> seal(id, partial, startedAt, snapshotMillis[0]), false))
      .compose(manifest -> vertx.executeBlocking(this::prune, false)
        .compose(kept -> copyToStorage(id, kept))
        .map(manifest))
      .onComplete(manifest -> {
        running = null;
        LOG.info("Backup {} complete: {} files, database snapshot in {} ms", id,
          manifest.getJsonArray("files").size(), snapshotMillis[0]);
      }, failure -> {
        running = null;
        LOG.error("Backup {} failed", id, failure);
        failures.addFirst(new JsonObject().put("id", id).put("status", "failed").put("startedAt", startedAt)
          .put("error", String.valueOf(failure.getMessage())));
        while (failures.size() > REMEMBERED_FAILURES) {
          failures.removeLast();
        }
        vertx.executeBlocking(() -> deleteTree(partial), false);
      });
  }

  /** One file at a time: a backup must not crowd out uploads and downloads on the storage. */
  private Future<Void> copyFiles(List<String> keys, Path filesDir) {
    Future<Void> chain = Future.succeededFuture();
    for (String key : keys) {
      if (!copyPrefix.isEmpty() && key.startsWith(copyPrefix + "/")) {
        continue;
      }
      chain = chain.compose(v -> storage.read(key)).compose(readable -> vertx.executeBlocking(() -> {
        Path copy = filesDir.resolve(key).normalize();
        if (!copy.startsWith(filesDir)) {
          throw new IllegalStateException("Stored key " + key + " leaves the backup");
        }
        Files.createDirectories(copy.getParent());
        Files.copy(readable.path(), copy, StandardCopyOption.REPLACE_EXISTING);
        if (readable.temporary()) {
          Files.deleteIfExists(readable.path());
        }
        return null;
      }, false));
    }
    return chain;
  }

  private JsonObject seal(String id, Path partial, long startedAt, long snapshotMillis) throws IOException {
    JsonArray files = new JsonArray();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(partial)) {
      paths = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path path : paths) {
      sync(path);
      files.add(new JsonObject().put("path", partial.relativize(path).toString().replace('\\', '/'))
        .put("size", Files.size(path)).put("sha256", sha256(path)));
    }
    JsonObject manifest = new JsonObject()
      .put("format", FORMAT)
      .put("id", id)
      .put("createdAt", startedAt)
      .put("epoch", epoch)
      .put("writerTerm", term)
      .put("node", nodeId)
      .put("storage", storage.describe())
      .put("snapshotMillis", snapshotMillis)
      .put("database", Database.FILE_NAME)
      .put("files", files);
    Path manifestFile = partial.resolve(MANIFEST);
    Files.writeString(manifestFile, manifest.encodePrettily());
    sync(manifestFile);
    Files.move(partial, target.resolve(id), StandardCopyOption.ATOMIC_MOVE);
    return manifest;
  }

  /**
   * A second copy in the file storage (the S3 bucket, when one is configured), manifest last, so a
   * copy with a manifest is complete. Copies of backups no longer kept here are deleted there. A
   * backup whose copy failed stays complete here; the listing shows no copy for it.
   */
  private Future<Void> copyToStorage(String id, List<String> kept) {
    if (copyPrefix.isEmpty()) {
      return Future.succeededFuture();
    }
    Path dir = target.resolve(id);
    String location = copyPrefix + "/" + id + "/";
    return vertx.executeBlocking(() -> {
      try (Stream<Path> walk = Files.walk(dir)) {
        return walk.filter(Files::isRegularFile).filter(file -> !file.endsWith(MANIFEST)).toList();
      }
    }, false).compose(files -> {
      Future<Void> chain = Future.succeededFuture();
      for (Path file : files) {
        chain = chain.compose(v -> storage.copyIn(location + dir.relativize(file).toString().replace('\\', '/'), file));
      }
      return chain;
    })
      .compose(v -> storage.copyIn(location + MANIFEST, dir.resolve(MANIFEST)))
      .compose(v -> vertx.executeBlocking(() -> Files.writeString(dir.resolve(COPIED), storage.describe() + " " + location),
        false))
      .compose(v -> storage.keys())
      .compose(keys -> {
        List<String> gone = keys.stream().filter(key -> key.startsWith(copyPrefix + "/"))
          .map(key -> key.substring(copyPrefix.length() + 1).split("/", 2)[0]).distinct()
          .filter(copied -> !kept.contains(copied)).toList();
        return Future.all(gone.stream().map(copied -> storage.deleteAll(copyPrefix + "/" + copied + "/")).toList());
      })
      .<Void>mapEmpty()
      .recover(failure -> {
        LOG.error("Backup {} is complete in {} but its copy to {} failed", id, target, storage.describe(), failure);
        return Future.succeededFuture();
      });
  }

  /**
   * Keeps the newest complete backups and answers their ids. Runs once a backup is sealed, when no
   * other can be under way, so a {@code .partial} left now is what a crash interrupted.
   */
  private List<String> prune() throws IOException {
    List<Path> complete = new ArrayList<>();
    for (Path dir : backupDirs()) {
      if (dir.getFileName().toString().endsWith(PARTIAL)) {
        deleteTree(dir);
      } else {
        complete.add(dir);
      }
    }
    complete.sort(Comparator.comparing(Path::getFileName).reversed());
    for (Path old : complete.subList(Math.min(keep, complete.size()), complete.size())) {
      LOG.info("Backup {} removed: {} newer ones are kept", old.getFileName(), keep);
      deleteTree(old);
    }
    return complete.subList(0, Math.min(keep, complete.size())).stream().map(dir -> dir.getFileName().toString())
      .toList();
  }

  /**
   * Newest first: the running backup (until its copy and the retention are done too), then each kept
   * one with its manifest's facts, then recent failures. */
  Future<JsonObject> list(JsonObject body) {
    String now = running;
    long nowSince = runningSince;
    List<JsonObject> failed = List.copyOf(failures);
    return vertx.executeBlocking(() -> {
      JsonArray backups = new JsonArray();
      List<Path> dirs = new ArrayList<>(backupDirs());
      dirs.sort(Comparator.comparing(Path::getFileName).reversed());
      if (now != null) {
        backups.add(new JsonObject().put("id", now).put("status", "running").put("startedAt", nowSince));
      }
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (name.equals(now) || name.equals(now + PARTIAL)) {
          continue;
        }
        if (!name.endsWith(PARTIAL)) {
          summary(dir).ifPresent(backups::add);
        } else {
          backups.add(new JsonObject().put("id", name.substring(0, name.length() - PARTIAL.length()))
            .put("status", "incomplete"));
        }
      }
      failed.forEach(backups::add);
      return new JsonObject().put("directory", target.toString()).put("backups", backups);
    }, false);
  }

  /** Empty when retention removed the backup while it was being listed. */
  private static Optional<JsonObject> summary(Path dir) throws IOException {
    JsonObject manifest;
    try {
      manifest = new JsonObject(Files.readString(dir.resolve(MANIFEST)));
    } catch (NoSuchFileException removed) {
      return Optional.empty();
    }
    JsonArray files = manifest.getJsonArray("files");
    long bytes = files.stream().mapToLong(file -> ((JsonObject) file).getLong("size")).sum();
    return Optional.of(new JsonObject().put("id", manifest.getString("id")).put("status", "complete")
      .put("startedAt", manifest.getLong("createdAt")).put("epoch", manifest.getString("epoch"))
      .put("writerTerm", manifest.getLong("writerTerm")).put("snapshotMillis", manifest.getLong("snapshotMillis"))
      .put("files", files.size()).put("bytes", bytes).put("path", dir.toString())
      .put("copiedTo", Files.exists(dir.resolve(COPIED)) ? Files.readString(dir.resolve(COPIED)) : null));
  }

  private List<Path> backupDirs() throws IOException {
    if (!Files.isDirectory(target)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(target)) {
      return dirs.filter(Files::isDirectory).filter(dir -> dir.getFileName().toString().startsWith(PREFIX)).toList();
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  static Void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return null;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
    return null;
  }
}

package io.codelabs.storage;

import io.codelabs.bus.SharedConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Where accepted files live, under keys the server chose: a local directory (one node, or a volume
 * every node mounts), or an S3-compatible bucket when one is configured.
 */
public interface Storage {

  /** A stored file as a local path to send; a temporary copy is deleted once sent. */
  record Readable(Path path, boolean temporary) {
  }

  /** Makes sure the storage can be written (directory exists, bucket answers). */
  Future<Void> prepare();

  /** Takes the quarantined file in under the key; the quarantined file may be gone afterwards. */
  Future<Void> put(String key, Path file, String contentType);

  /** Stores a copy of the file under the key; the file itself stays where it is. */
  Future<Void> copyIn(String key, Path file);

  Future<Readable> read(String key);

  Future<Void> delete(String key);

  /** Every stored key, for a backup. */
  Future<List<String>> keys();

  /** Deletes every file whose key starts with the prefix (a codelab's directory). */
  Future<Void> deleteAll(String prefix);

  String describe();

  void close();

  static Storage create(Vertx vertx, JsonObject config) {
    return config.getString(StorageConfig.S3_BUCKET).isEmpty()
      ? new LocalStorage(vertx, directory(config))
      : new S3Storage(vertx, config, Quarantine.of(config));
  }

  /** The configured directory, or {@code files} in the data directory when none is. */
  private static Path directory(JsonObject config) {
    String configured = config.getString(StorageConfig.DIR);
    return configured.isEmpty() ? Path.of(config.getString(SharedConfig.DATA_DIR), "files") : Path.of(configured);
  }
}

package io.codelabs.storage;

import io.codelabs.bus.SharedConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The node-local directory the API verticle streams each upload into and the uploads verticle of the same node takes
 * it from. Only an upload's name crosses the bus, so only names this type made are taken; downloads fetched from a
 * bucket wait here too, under names that are never taken. The uploads verticle empties it when it starts.
 */
public record Quarantine(Path dir) {
  public static final String DIR = "uploads.quarantineDir";

  private static final Pattern UPLOAD_NAME = Pattern.compile("[0-9a-f-]{36}");
  private static final Pattern EXPORT_NAME = Pattern.compile("export-[0-9a-f-]{36}");

  public Quarantine {
    dir = dir.toAbsolutePath().normalize();
  }

  /** The configured directory, or {@code quarantine} in the data directory when none is. */
  public static Quarantine of(JsonObject config) {
    String configured = config.getString(DIR);
    return new Quarantine(configured.isEmpty() ? Path.of(config.getString(SharedConfig.DATA_DIR), "quarantine")
      : Path.of(configured));
  }

  public Path newUpload() {
    return dir.resolve(UUID.randomUUID().toString());
  }

  /** The upload a name handed over the bus stands for; empty when the name is not one {@link #newUpload} gives. */
  public Optional<Path> upload(String name) {
    return UPLOAD_NAME.matcher(name).matches() ? Optional.of(dir.resolve(name)) : Optional.empty();
  }

  /** Where a codelab export is written for the API verticle of the same node to send and delete. */
  public Path newExport() {
    return dir.resolve("export-" + UUID.randomUUID());
  }

  /** The export a name handed over the bus stands for; empty when the name is not one {@link #newExport} gives. */
  public Optional<Path> export(String name) {
    return EXPORT_NAME.matcher(name).matches() ? Optional.of(dir.resolve(name)) : Optional.empty();
  }

  Path newDownloadCopy() {
    return dir.resolve("download-" + UUID.randomUUID());
  }
}

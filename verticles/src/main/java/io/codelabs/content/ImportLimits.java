package io.codelabs.content;

import io.vertx.core.json.JsonObject;

/**
 * What one import may hold. A ZIP is refused before anything is stored when it has too many entries, unpacks to
 * more than the total, holds an entry larger than one file may be, or unpacks to far more than its own size.
 */
public record ImportLimits(long maxUploadBytes, int maxEntries, long maxUncompressedBytes, int maxRatio,
                           long maxEntryBytes) {
  public static final String MAX_BYTES = "import.maxBytes";
  public static final String MAX_ENTRIES = "import.maxEntries";
  public static final String MAX_UNCOMPRESSED_BYTES = "import.maxUncompressedBytes";
  public static final String MAX_RATIO = "import.maxRatio";
  public static final String MAX_IN_FLIGHT = "import.maxInFlight";

  /** The limits configured; one entry may be as large as one uploaded file may be. */
  public static ImportLimits of(JsonObject config, long maxFileBytes) {
    return new ImportLimits(config.getLong(MAX_BYTES), config.getInteger(MAX_ENTRIES),
      config.getLong(MAX_UNCOMPRESSED_BYTES), config.getInteger(MAX_RATIO), maxFileBytes);
  }
}

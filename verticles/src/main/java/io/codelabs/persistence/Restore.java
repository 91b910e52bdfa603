package io.codelabs.persistence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * Restores a backup while no node runs on the target: every file is checked against the manifest
 * before anything is written, the database must pass SQLite's integrity check, and it gets a new
 * epoch, so every browser that reconnects is told to reload instead of replaying events of a
 * history that no longer exists.
 */
public final class Restore {

  /** The backup or the target is not fit for a restore; nothing was written. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  public record Restored(String backupId, String backupEpoch, String newEpoch, int storedFiles, Path database) {
  }

  private record Entry(String path, long size, String sha256) {
  }

  private Restore() {
  }

  /** Blocking. {@code filesDir} receives the stored files: the directory the restored node will use as its storage. */
  public static Restored run(Path from, Path dataDir, Path filesDir) throws Refused, IOException {
    JsonObject manifest = manifest(from);
    int format = manifest.getInteger("format", 0);
    if (format > Backups.FORMAT) {
      throw new Refused("The backup has format " + format + "; this version restores format " + Backups.FORMAT
        + " and older. Restore it with the version that made it");
    }
    List<Entry> entries = entries(manifest);
    String databaseName = manifest.getString("database", Database.FILE_NAME);
    if (entries.stream().noneMatch(entry -> entry.path.equals(databaseName))) {
      throw new Refused("The manifest lists no database file " + databaseName);
    }
    requireEmpty(dataDir);
    requireEmpty(filesDir);
    for (Entry entry : entries) {
      verify(from, entry);
    }
    boolean dataDirExisted = Files.exists(dataDir);
    boolean filesDirExisted = Files.exists(filesDir);
    try {
      Files.createDirectories(dataDir);
      Path database = dataDir.resolve(Database.FILE_NAME);
      Files.copy(from.resolve(databaseName), database);
      String newEpoch = checkAndRenew(database);
      int stored = 0;
      String prefix = Backups.FILES + "/";
      for (Entry entry : entries) {
        if (entry.path.startsWith(prefix)) {
          Path copy = inside(filesDir, entry.path.substring(prefix.length()));
          Files.createDirectories(copy.getParent());
          Files.copy(from.resolve(entry.path), copy);
          stored++;
        }
      }
      return new Restored(manifest.getString("id"), manifest.getString("epoch"), newEpoch, stored, database);
    } catch (Refused | IOException | RuntimeException e) {
      clear(filesDir, filesDirExisted);
      clear(dataDir, dataDirExisted);
      throw e;
    }
  }

  private static JsonObject manifest(Path from) throws Refused, IOException {
    Path file = from.resolve(Backups.MANIFEST);
    if (!Files.isRegularFile(file)) {
      throw new Refused("No " + Backups.MANIFEST + " in " + from + ": not a complete backup");
    }
    try {
      return new JsonObject(Files.readString(file));
    } catch (RuntimeException e) {
      throw new Refused(Backups.MANIFEST + " in " + from + " is not valid JSON: " + e.getMessage());
    }
  }

  private static List<Entry> entries(JsonObject manifest) throws Refused {
    JsonArray files = manifest.getJsonArray("files");
    if (files == null) {
      throw new Refused("The manifest lists no files");
    }
    List<Entry> entries = new ArrayList<>();
    for (Object item : files) {
      if (!(item instanceof JsonObject file) || file.getString("path") == null || file.getLong("size") == null
        || file.getString("sha256") == null) {
        throw new Refused("The manifest has an entry without path, size and sha256: " + item);
      }
      entries.add(new Entry(file.getString("path"), file.getLong("size"), file.getString("sha256")));
    }
    return entries;
  }

  private static void requireEmpty(Path dir) throws Refused, IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new Refused(dir + " is not a directory");
    }
    try (Stream<Path> children = Files.list(dir)) {
      if (children.findAny().isPresent()) {
        throw new Refused(dir + " is not empty: restore only into an empty directory, never over a live database");
      }
    }
  }

  private static void verify(Path from, Entry entry) throws Refused, IOException {
    Path file = inside(from, entry.path);
    if (!Files.isRegularFile(file)) {
      throw new Refused("The backup lacks " + entry.path);
    }
    if (Files.size(file) != entry.size || !Backups.sha256(file).equals(entry.sha256)) {
      throw new Refused(entry.path + " does not match its size and SHA-256 in the manifest: the backup is damaged");
    }
  }

  private static Path inside(Path root, String relative) throws Refused {
    Path base = root.toAbsolutePath().normalize();
    Path path = base.resolve(relative).normalize();
    if (!path.startsWith(base) || path.equals(base)) {
      throw new Refused("The manifest names a path outside the backup: " + relative);
    }
    return path;
  }

  /** Rollback journal, not WAL: the file must be whole once this connection closes. */
  private static String checkAndRenew(Path database) throws Refused, IOException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.DELETE);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    try (Connection connection = config.createConnection("jdbc:sqlite:" + database.toAbsolutePath());
         Statement statement = connection.createStatement()) {
      List<String> problems = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
        while (rows.next()) {
          problems.add(rows.getString(1));
        }
      }
      if (!problems.equals(List.of("ok"))) {
        throw new Refused("The database fails SQLite's integrity check: " + String.join("; ", problems));
      }
      try (ResultSet row = statement.executeQuery(
        "UPDATE settings SET value = lower(hex(randomblob(16))) WHERE key = 'epoch' RETURNING value")) {
        if (!row.next()) {
          throw new Refused("The database has no epoch setting");
        }
        return row.getString(1);
      }
    } catch (SQLException e) {
      throw new IOException("Cannot check the restored database: " + e.getMessage(), e);
    }
  }

  private static void clear(Path dir, boolean existed) throws IOException {
    if (!existed) {
      Backups.deleteTree(dir);
      return;
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.toList()) {
        Backups.deleteTree(child);
      }
    }
  }
}

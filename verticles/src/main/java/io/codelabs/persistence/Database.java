package io.codelabs.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Where the SQLite file lives and how every connection to it is configured. */
final class Database {
  static final String FILE_NAME = "codelabs.db";
  private static final int BUSY_TIMEOUT_MS = 5_000;

  private Database() {
  }

  static String url(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath();
  }

  /** Blocking: run on a worker thread. Safe to re-run: applied migrations are skipped. */
  static void migrate(Path dataDir) {
    Flyway.configure()
      .dataSource(url(dataDir), null, null)
      .locations("classpath:db/migration")
      .load()
      .migrate();
  }

  /** Blocking. A connection that writes, with the given {@code synchronous} setting. */
  static Connection writerConnection(Path dataDir, String synchronous) throws SQLException {
    SQLiteConfig config = baseConfig();
    config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous));
    return config.createConnection(url(dataDir));
  }

  static SQLiteDataSource readerDataSource(Path dataDir) {
    SQLiteConfig config = baseConfig();
    config.setReadOnly(true);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url(dataDir));
    return dataSource;
  }

  private static SQLiteConfig baseConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    return config;
  }
}

package io.codelabs.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A SQLite file's rows as text, to compare files that should hold the same ones. */
final class FileRows {
  private FileRows() {
  }

  /** Every table but the skipped ones, each row as text in the order of all its columns, rows sorted. */
  static Map<String, List<String>> of(Connection connection, Set<String> skipped) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement statement = connection.createStatement();
         ResultSet names = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
      while (names.next()) {
        tables.add(names.getString(1));
      }
    }
    Map<String, List<String>> rows = new TreeMap<>();
    for (String table : tables) {
      if (skipped.contains(table)) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      try (Statement statement = connection.createStatement();
           ResultSet all = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
        int columns = all.getMetaData().getColumnCount();
        while (all.next()) {
          StringBuilder line = new StringBuilder();
          for (int i = 1; i <= columns; i++) {
            line.append(all.getString(i)).append('|');
          }
          lines.add(line.toString());
        }
      }
      lines.sort(null);
      rows.put(table, lines);
    }
    return rows;
  }

  /** The first column of the first row. */
  static String one(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  /**
   * Blocking, until the database file alone (immutable=1 ignores its WAL) answers {@code sql} with {@code expected} in
   * the first column of the first row. A page a checkpoint is still copying may not read yet: that counts as not there.
   */
  static void awaitInFileAlone(Path dataDir, String sql, String expected, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    String found;
    while (!(found = oneInFileAlone(dataDir, sql)).equals(expected)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The database file in " + dataDir + " holds " + found + ", not " + expected);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static String oneInFileAlone(Path dataDir, String sql) {
    try (Connection file = DriverManager.getConnection("jdbc:sqlite:file:" + dataDir.resolve(Database.FILE_NAME)
      + "?immutable=1")) {
      return one(file, sql);
    } catch (SQLException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }
}

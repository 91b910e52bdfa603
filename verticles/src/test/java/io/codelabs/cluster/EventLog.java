package io.codelabs.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/** The database as it is on disk: the truth the clients' views and acknowledgements are checked against. */
final class EventLog {
  record Row(long seq, String eventId, String stream, String attendeeId, String type, long term, long createdAt) {
    boolean visibleTo(Participant participant) {
      return participant.facilitator() || stream.equals("public") || participant.attendeeId.equals(attendeeId);
    }
  }

  record Lease(long term, long since) {
  }

  private final Path file;

  EventLog(Path dataDir) {
    this.file = dataDir.resolve("codelabs.db");
  }

  List<Row> events(String codelabId) throws SQLException {
    try (Connection connection = open();
         PreparedStatement query = connection.prepareStatement(
           "SELECT seq, event_id, stream, attendee_id, type, term, created_at FROM events WHERE codelab_id = ? ORDER BY seq")) {
      query.setString(1, codelabId);
      List<Row> rows = new ArrayList<>();
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          rows.add(new Row(result.getLong(1), result.getString(2), result.getString(3), result.getString(4),
            result.getString(5), result.getLong(6), result.getLong(7)));
        }
      }
      return rows;
    }
  }

  long maxSeq(String codelabId) throws SQLException {
    List<Row> rows = events(codelabId);
    return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).seq();
  }

  Lease lease() throws SQLException {
    try (Connection connection = open();
         ResultSet row = connection.createStatement().executeQuery("SELECT term, since FROM writer_lease")) {
      row.next();
      return new Lease(row.getLong(1), row.getLong(2));
    }
  }

  long count(String sql, String codelabId) throws SQLException {
    try (Connection connection = open(); PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, codelabId);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private Connection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5_000);
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
  }
}

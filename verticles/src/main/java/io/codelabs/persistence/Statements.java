package io.codelabs.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The writer's statements, each prepared once on its connection and reused by every command that runs its SQL. */
final class Statements {
  private static final Logger LOG = LoggerFactory.getLogger(Statements.class);

  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  Statements(Connection connection) {
    this.connection = connection;
  }

  PreparedStatement of(String sql) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    return statement;
  }

  /** Closes every statement; they are prepared again on their next use. */
  void close() {
    prepared.values().forEach(statement -> {
      try {
        statement.close();
      } catch (SQLException e) {
        LOG.debug("Closing a statement failed", e);
      }
    });
    prepared.clear();
  }
}

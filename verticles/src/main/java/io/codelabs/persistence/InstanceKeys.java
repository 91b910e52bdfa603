package io.codelabs.persistence;

import io.codelabs.credentials.InstanceKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The credential signing key lives in the database, made on first start: never in the repository or beside the jar. */
final class InstanceKeys {
  private InstanceKeys() {
  }

  /** Blocking, before the writer starts: the newest key, generated and stored if there is none. */
  static InstanceKey loadOrCreate(Connection connection) throws SQLException {
    InstanceKey stored = newest(connection);
    if (stored != null) {
      return stored;
    }
    InstanceKey key = InstanceKey.generate();
    try (PreparedStatement insert = connection.prepareStatement(
      "INSERT INTO instance_keys (kid, algorithm, private_jwk, created_at) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, key.kid());
      insert.setString(2, InstanceKey.ALGORITHM);
      insert.setString(3, key.privateJwk());
      insert.setLong(4, System.currentTimeMillis());
      insert.executeUpdate();
    }
    return key;
  }

  private static InstanceKey newest(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
      "SELECT private_jwk FROM instance_keys ORDER BY created_at DESC LIMIT 1");
         ResultSet row = select.executeQuery()) {
      return row.next() ? InstanceKey.parse(row.getString(1)) : null;
    }
  }
}

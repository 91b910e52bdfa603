package io.codelabs.persistence;

import io.codelabs.credentials.InstanceKey;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What makes the core nodes' files one database to the outside: the epoch clients replay against,
 * the token signing secret and the credential signing key. Each file is made with its own; the
 * first leader's, carried in the log, replace them in every file.
 */
final class Identity {
  /** The identity a file holds now, and whether it is the one taken from the log ({@code adopted} = 1). */
  static final String CURRENT = "SELECT (SELECT value FROM settings WHERE key = 'epoch') AS epoch,"
    + " (SELECT value FROM settings WHERE key = 'jwt_secret') AS jwt_secret,"
    + " (SELECT private_jwk FROM instance_keys ORDER BY created_at DESC LIMIT 1) AS privateJwk,"
    + " EXISTS (SELECT 1 FROM facilitators) AS hasFacilitator,"
    + " (SELECT identity_adopted FROM replication WHERE id = 1) AS adopted";

  private Identity() {
  }

  /** Blocking: a leader's proposal, from its own file; a signing key is made when the file has none. */
  static JsonObject proposal(Connection connection) throws SQLException {
    JsonObject proposal = new JsonObject();
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT key, value FROM settings WHERE key IN ('epoch', 'jwt_secret')")) {
      while (rows.next()) {
        proposal.put(rows.getString(1), rows.getString(2));
      }
    }
    try (Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery(
           "SELECT kid, private_jwk, created_at FROM instance_keys ORDER BY created_at DESC LIMIT 1")) {
      if (row.next()) {
        return proposal.put("kid", row.getString(1)).put("privateJwk", row.getString(2)).put("keyCreatedAt", row.getLong(3));
      }
    }
    InstanceKey key = InstanceKey.generate();
    return proposal.put("kid", key.kid()).put("privateJwk", key.privateJwk()).put("keyCreatedAt", System.currentTimeMillis());
  }

  /** Only the first proposal in the log is taken; every later one finds the same identity and changes nothing. */
  static JsonObject adopt(Tx tx, JsonObject body) throws SQLException {
    if (tx.one("SELECT identity_adopted FROM replication WHERE id = 1").getInteger("identity_adopted") == 0) {
      tx.update("UPDATE settings SET value = ? WHERE key = 'epoch'", body.getString("epoch"));
      tx.update("UPDATE settings SET value = ? WHERE key = 'jwt_secret'", body.getString("jwt_secret"));
      tx.update("INSERT OR IGNORE INTO instance_keys (kid, algorithm, private_jwk, created_at) VALUES (?, ?, ?, ?)",
        body.getString("kid"), InstanceKey.ALGORITHM, body.getString("privateJwk"), body.getLong("keyCreatedAt"));
      tx.update("UPDATE replication SET identity_adopted = 1 WHERE id = 1");
    }
    JsonObject identity = tx.one(CURRENT);
    return identity.put("hasFacilitator", identity.getInteger("hasFacilitator") == 1);
  }
}

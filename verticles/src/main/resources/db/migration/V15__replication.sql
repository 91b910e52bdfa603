-- The last replicated batch this file holds, written in that batch's own transaction, and whether the file
-- took the cluster's identity (epoch, token secret, signing key) from the log's first leader.
CREATE TABLE replication (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  term INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  identity_adopted INTEGER NOT NULL DEFAULT 0
);
INSERT INTO replication (id, term, log_index) VALUES (1, 0, -1);

-- The last replicated batch this file holds, written in that batch's own transaction.
CREATE TABLE replication (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  term INTEGER NOT NULL,
  log_index INTEGER NOT NULL
);
INSERT INTO replication (id, term, log_index) VALUES (1, 0, -1);

-- Keys integrators present as Bearer clk_<id>_<secret>; only a SHA-256 hash of the secret is kept.
CREATE TABLE api_keys (
  id             TEXT PRIMARY KEY,
  facilitator_id TEXT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  secret_hash    TEXT NOT NULL,
  scopes         TEXT NOT NULL,
  codelab_id     TEXT REFERENCES codelabs (id) ON DELETE CASCADE,
  created_at     INTEGER NOT NULL,
  created_by     TEXT NOT NULL,
  expires_at     INTEGER,
  last_used_at   INTEGER,
  revoked_at     INTEGER
);
CREATE INDEX api_keys_by_facilitator ON api_keys (facilitator_id, created_at);

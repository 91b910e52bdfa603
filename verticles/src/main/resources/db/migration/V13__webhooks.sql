-- A facilitator's webhook endpoint: one codelab's events, or (codelab_id NULL) those of every codelab it is a member of.
-- The secret is kept as issued: signing needs it. After a rotation the previous one stays valid until previous_until.
CREATE TABLE webhooks (
  id              TEXT PRIMARY KEY,
  facilitator_id  TEXT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
  codelab_id      TEXT REFERENCES codelabs (id) ON DELETE CASCADE,
  url             TEXT NOT NULL,
  description     TEXT NOT NULL DEFAULT '',
  event_types     TEXT NOT NULL DEFAULT '[]',
  secret          TEXT NOT NULL,
  previous_secret TEXT,
  previous_until  INTEGER,
  enabled         INTEGER NOT NULL DEFAULT 1,
  disabled_reason TEXT,
  disabled_at     INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX webhooks_by_facilitator ON webhooks (facilitator_id);

-- The last seq of a codelab an endpoint acknowledged (or skipped as filtered out); delivery resumes after it.
CREATE TABLE webhook_positions (
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  codelab_id TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  PRIMARY KEY (webhook_id, codelab_id)
) WITHOUT ROWID;

-- One row per attempt, newest kept per endpoint up to a bound; the body lets a logged delivery be sent again.
CREATE TABLE webhook_deliveries (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id    TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  codelab_id    TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  message_id    TEXT NOT NULL,
  event_type    TEXT NOT NULL,
  body          TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('delivered', 'failed')),
  attempt       INTEGER NOT NULL,
  redelivery    INTEGER NOT NULL DEFAULT 0,
  response_code INTEGER,
  latency_ms    INTEGER,
  error         TEXT,
  at            INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);

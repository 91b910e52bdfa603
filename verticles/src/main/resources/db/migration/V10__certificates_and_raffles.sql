-- Closing a workshop: the instance's credential signing key (private part never leaves the persistence verticle),
-- certificates with what they print frozen at issue, and raffles with their seeds and winners.
CREATE TABLE instance_keys (
  kid         TEXT PRIMARY KEY,
  algorithm   TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE certificates (
  id                TEXT PRIMARY KEY,
  codelab_id        TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  attendee_id       TEXT NOT NULL UNIQUE REFERENCES attendees (id) ON DELETE CASCADE,
  name              TEXT NOT NULL,
  codelab_title     TEXT NOT NULL,
  facilitator_name  TEXT NOT NULL,
  started_at        INTEGER NOT NULL,
  completed_at      INTEGER NOT NULL,
  issued_at         INTEGER NOT NULL,
  duration_minutes  INTEGER NOT NULL,
  revoked_at        INTEGER,
  revoked_by        TEXT,
  revocation_reason TEXT
);
CREATE INDEX certificates_by_codelab ON certificates (codelab_id, issued_at);

CREATE TABLE raffles (
  id         TEXT PRIMARY KEY,
  codelab_id TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  seed       TEXT NOT NULL,
  among      TEXT NOT NULL CHECK (among IN ('completed', 'all')),
  requested  INTEGER NOT NULL,
  eligible   INTEGER NOT NULL,
  drawn_at   INTEGER NOT NULL,
  drawn_by   TEXT NOT NULL
);
CREATE INDEX raffles_by_codelab ON raffles (codelab_id, drawn_at);

-- UNIQUE (codelab_id, attendee_id): nobody wins twice in a codelab, whatever the draw code does.
CREATE TABLE raffle_winners (
  raffle_id   TEXT NOT NULL REFERENCES raffles (id) ON DELETE CASCADE,
  place       INTEGER NOT NULL,
  codelab_id  TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  attendee_id TEXT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  PRIMARY KEY (raffle_id, place),
  UNIQUE (codelab_id, attendee_id)
);

-- Sockets each bridge node holds per attendee; a node refreshes seen_at with its heartbeat, so the
-- rows of a node that died are swept and its attendees go offline.
CREATE TABLE presence (
  attendee_id TEXT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  node_id     TEXT NOT NULL,
  sockets     INTEGER NOT NULL,
  seen_at     INTEGER NOT NULL,
  PRIMARY KEY (attendee_id, node_id)
);
CREATE INDEX presence_by_node ON presence (node_id, seen_at);

-- How long the attendee spent on a step it completed while on it: the median of these is what
-- "stuck" is measured against.
ALTER TABLE step_completions ADD COLUMN duration_ms INTEGER;

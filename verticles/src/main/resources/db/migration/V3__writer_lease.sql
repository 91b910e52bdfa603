-- The writer's fence. A node that took the cluster-wide writer lock bumps the term before it
-- accepts a command, and every write transaction checks that the term is still its own: a writer
-- that was frozen while another took over cannot commit anything after the takeover.
CREATE TABLE writer_lease (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  term   INTEGER NOT NULL,
  holder TEXT NOT NULL,
  since  INTEGER NOT NULL
);
INSERT INTO writer_lease (id, term, holder, since) VALUES (1, 0, '', 0);

-- Which writer term committed each event: terms never decrease along seq.
ALTER TABLE events ADD COLUMN term INTEGER NOT NULL DEFAULT 0;

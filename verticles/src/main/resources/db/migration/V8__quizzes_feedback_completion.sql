-- Closing a workshop: the facilitator's completion rules (JSON, defaults applied on read), who completed,
-- quizzes with their answer keys (read only by the writer and facilitators), graded attempts and feedback.
ALTER TABLE codelabs ADD COLUMN completion TEXT NOT NULL DEFAULT '{}';

CREATE TABLE completions (
  attendee_id  TEXT PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
  codelab_id   TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  completed_at INTEGER NOT NULL
);
CREATE INDEX completions_by_codelab ON completions (codelab_id, completed_at);

CREATE TABLE quizzes (
  id         TEXT PRIMARY KEY,
  codelab_id TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  title      TEXT NOT NULL,
  step       INTEGER,
  attempts   INTEGER NOT NULL,
  scoring    TEXT NOT NULL CHECK (scoring IN ('best', 'last')),
  reveal     TEXT NOT NULL CHECK (reveal IN ('never', 'after-submit', 'after-last-attempt')),
  questions  TEXT NOT NULL
);
CREATE INDEX quizzes_by_codelab ON quizzes (codelab_id, position);

CREATE TABLE quiz_attempts (
  quiz_id      TEXT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
  attendee_id  TEXT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  number       INTEGER NOT NULL,
  codelab_id   TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  score        REAL NOT NULL,
  max_score    REAL NOT NULL,
  percent      INTEGER NOT NULL,
  passed       INTEGER NOT NULL,
  answers      TEXT NOT NULL,
  results      TEXT NOT NULL,
  submitted_at INTEGER NOT NULL,
  PRIMARY KEY (quiz_id, attendee_id, number)
);
CREATE INDEX quiz_attempts_by_attendee ON quiz_attempts (attendee_id, quiz_id);

CREATE TABLE feedback (
  attendee_id  TEXT PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
  codelab_id   TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  difficulty   INTEGER NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
  satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
  comment      TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX feedback_by_codelab ON feedback (codelab_id);

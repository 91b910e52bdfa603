-- Where a request came from (sign-ins, joins, account changes), as the API saw it.
ALTER TABLE audit_log ADD COLUMN source TEXT;

-- Each filter of the audit log reads newest first through its own index (rowid is the keyset).
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_codelab ON audit_log (codelab_id);
CREATE INDEX audit_log_action ON audit_log (action);

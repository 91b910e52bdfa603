package io.codelabs.bus;

import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Set;

/**
 * The catalogue of every event-bus address: no address is written anywhere else. Commands and
 * queries are request/reply and answered by the persistence verticle; events are published after
 * commit, their types listed in {@link EventType}; snapshots are computed by each bridge node for its
 * own sockets. {@code users} says who may use an address from outside the cluster (through the
 * realtime bridge); an empty set means internal only.
 */
public enum Address {
  WRITER_STATUS("persistence.writer.status", Kind.QUERY, none(),
    "Answered by the writer only: its node id, writer term and since when, queue depth, batches and commands committed since start, for readiness and metrics.",
    "{}"),
  BACKUP_START("persistence.backup.start", Kind.COMMAND, none(),
    "Starts an online backup of the instance (admin only; audited): the writer snapshots the database between two batches, then copies every stored file and writes a manifest. Answered once it is under way; 409 while another runs.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Admin\"}}"),
  BACKUP_LIST("persistence.backup.list", Kind.QUERY, none(),
    "The writer's backups, newest first: running, complete (with epoch, writer term, file count and bytes), incomplete or recently failed.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Admin\"}}"),
  CORE_MEMBERS_LIST("persistence.core.list", Kind.QUERY, none(),
    "The core nodes of the replicated log (admin only), answered by the leader's writer: each id, address, role (leader or follower) and the commit index the leader knows of it; 409 on an instance without core nodes.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Admin\"}}"),
  CORE_MEMBERS_CHANGE("persistence.core.change", Kind.COMMAND, none(),
    "Replaces the core nodes of the replicated log with the complete list given (admin only; audited): checked first (ids once, host:port addresses, a majority of those in force kept), then committed by the log, new nodes caught up first. 400 for a refused list, 409 without core nodes or while another change runs, 503 if the log does not complete it in time.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Admin\"},\"peers\":[{\"id\":\"a\",\"address\":\"10.0.0.11:7100\"},{\"id\":\"b\",\"address\":\"10.0.0.12:7100\"},{\"id\":\"c\",\"address\":\"10.0.0.13:7100\"},{\"id\":\"d\",\"address\":\"10.0.0.14:7100\"}]}"),
  CORE_FORWARD("persistence.core.forward.{coreId}", Kind.COMMAND, none(),
    "A core node's router, registered at its start: another core node hands it a command or query for the writer while this node leads the log, the original address in the address header; answered busy at once when it does not lead. With no address header it answers an empty body, which keeps the connections between core nodes open.",
    "{\"codelabId\":\"c1\",\"step\":3,\"completed\":true}"),
  AUTH_KEYS("persistence.auth.keys", Kind.QUERY, none(),
    "Token signing secret, database epoch and the revocations still in force (revoked sessions, per-account cut-offs, disabled accounts), for API and bridge verticles.", "{}"),
  SESSION_REVOKE("persistence.session.revoke", Kind.COMMAND, none(),
    "Revokes signed-out sessions until their tokens expire (expired revocations are pruned); emits auth.sessions.revoked.",
    "{\"sessions\":[{\"sessionId\":\"5f0c...\",\"subject\":\"f1\",\"issuedAt\":1763860000000,\"expiresAt\":1763903200000}]}"),
  SESSIONS_REVOKED("auth.sessions.revoked", Kind.EVENT, none(),
    "Published by the writer after commit to every node: sessions revoked, accounts whose earlier sessions ended (cut-off) and accounts disabled or enabled. API and bridge verticles refuse those tokens and close their sockets.",
    "{\"sessions\":[],\"cutoffs\":[{\"subject\":\"f2\",\"notBefore\":1763860000000}],\"accounts\":[{\"subject\":\"f2\",\"disabled\":true,\"at\":1763860000000}]}"),
  APIKEY_CREATE("persistence.apikey.create", Kind.COMMAND, none(),
    "Records an API key the API generated (only its SHA-256 hash, never the secret) for the actor or, by the admin, for another facilitator: a name, scopes, one codelab the facilitator runs or all of theirs, an optional expiry; bounded per facilitator; audited.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"keyId\":\"3f9a0c1d2b4e5f60718293a4\",\"secretHash\":\"9f86d081884c7d65...\",\"name\":\"Help bot\",\"scopes\":[\"events:read\"],\"codelabId\":\"c1\",\"expiresAt\":1766452000000}"),
  APIKEY_REVOKE("persistence.apikey.revoke", Kind.COMMAND, none(),
    "Revokes an API key (its facilitator or the admin; audited) and revokes the session of the same id, so every node refuses it and closes its sockets at once; emits auth.sessions.revoked.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"keyId\":\"3f9a0c1d2b4e5f60718293a4\"}"),
  APIKEY_LIST("persistence.apikey.list", Kind.QUERY, none(),
    "The actor's API keys, newest first (the admin: everyone's), without secrets or hashes: name, scopes, codelab, created, expires, last used, revoked.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"}}"),
  APIKEY_FIND("persistence.apikey.find", Kind.QUERY, none(),
    "An API key's record by id with its secret hash, for the API and bridge verticles to verify a presented key and keep it in their bounded caches.",
    "{\"keyId\":\"3f9a0c1d2b4e5f60718293a4\"}"),
  APIKEY_TOUCH("persistence.apikey.touch", Kind.COMMAND, none(),
    "A node saw an API key used: keeps the latest use time. Each node reports a key at most once a minute.",
    "{\"keyId\":\"3f9a0c1d2b4e5f60718293a4\",\"at\":1763860000000}"),
  FACILITATOR_BOOTSTRAP("persistence.facilitator.bootstrap", Kind.COMMAND, none(),
    "Creates the first facilitator, the instance admin, if there is none; replies created=false otherwise.",
    "{\"username\":\"admin\",\"displayName\":\"Administrator\",\"passwordHash\":\"$argon2id$...\"}"),
  FACILITATOR_CREATE("persistence.facilitator.create", Kind.COMMAND, none(),
    "Creates a facilitator account (admin only; username unique, case-insensitive).",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"username\":\"kim\",\"displayName\":\"Kim\",\"passwordHash\":\"$argon2id$...\"}"),
  FACILITATOR_FIND("persistence.facilitator.find", Kind.QUERY, none(),
    "Looks up a facilitator by username (or facilitatorId), with the password hash, admin and disabled flags, for sign-in and password changes.",
    "{\"username\":\"kim\"}"),
  FACILITATOR_LIST("persistence.facilitator.list", Kind.QUERY, none(),
    "Every facilitator account with its admin and disabled flags (admin only).",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Admin\"}}"),
  FACILITATOR_DISABLE("persistence.facilitator.set-disabled", Kind.COMMAND, none(),
    "Disables (ending all its sessions) or enables a facilitator account (admin only, never the admin itself); emits auth.sessions.revoked.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Admin\"},\"facilitatorId\":\"f2\",\"disabled\":true}"),
  FACILITATOR_PASSWORD("persistence.facilitator.set-password", Kind.COMMAND, none(),
    "Sets a facilitator's password hash: its own (change) or anyone's (admin reset); ends the account's earlier sessions and emits auth.sessions.revoked.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Admin\"},\"facilitatorId\":\"f2\",\"passwordHash\":\"$argon2id$...\"}"),
  FACILITATOR_GET("persistence.facilitator.get", Kind.QUERY, none(),
    "A facilitator's public profile by id.", "{\"facilitatorId\":\"f1\"}"),
  CODELAB_CREATE("persistence.codelab.create", Kind.COMMAND, none(),
    "Creates a codelab owned by the actor, with its steps (Markdown already rendered).",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"title\":\"Vert.x 101\",\"visibility\":\"public\",\"steps\":[]}"),
  CODELAB_UPDATE("persistence.codelab.update", Kind.COMMAND, none(),
    "Updates a codelab's settings (owner only); emits codelab.updated.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"title\":\"Vert.x 102\",\"joinsClosed\":true}"),
  CODELAB_DELETE("persistence.codelab.delete", Kind.COMMAND, none(),
    "Deletes a codelab and everything in it (owner only).", "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  CODELAB_COPY("persistence.codelab.copy", Kind.COMMAND, none(),
    "Copies a codelab's settings, steps and quizzes into a new codelab owned by the actor.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  CODELAB_IMPORT("persistence.codelab.import", Kind.COMMAND, none(),
    "Creates an imported codelab owned by the actor in one transaction: its settings and completion rules, its steps (Markdown already rendered), its quizzes (prompts already rendered, new ids) and the records of its images and materials, already stored under the codelab id the command names.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"0192f0c4-7a1e-7c3d-9b2a-5e8f1d0c4b6a\",\"title\":\"Vert.x 101\",\"visibility\":\"public\",\"steps\":[{\"title\":\"Setup\",\"markdown\":\"![](/api/codelabs/0192f0c4-.../materials/m1/file)\",\"html\":\"...\",\"durationMinutes\":2}],\"materials\":[{\"id\":\"m1\",\"kind\":\"image\",\"title\":\"arch.png\",\"fileName\":\"arch.png\",\"contentType\":\"image/png\",\"sizeBytes\":5120,\"sha256\":\"9f86d08...\",\"storageKey\":\"0192f0c4-.../6f1c...\"}]}"),
  STEPS_REPLACE("persistence.steps.replace", Kind.COMMAND, none(),
    "Replaces (adds, reorders, edits, deletes) all steps of a codelab; emits codelab.updated.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"steps\":[{\"title\":\"Setup\",\"markdown\":\"# Hi\",\"html\":\"<h1>Hi</h1>\",\"durationMinutes\":5}]}"),
  STEP_UPDATE("persistence.step.update", Kind.COMMAND, none(),
    "Edits one step in place; emits codelab.updated.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"position\":0,\"title\":\"Setup\",\"markdown\":\"...\",\"html\":\"...\",\"durationMinutes\":5}"),
  ASSISTANT_ADD("persistence.assistant.add", Kind.COMMAND, none(),
    "Adds a facilitator as assistant of a codelab (owner only).",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"username\":\"lee\"}"),
  ASSISTANT_REMOVE("persistence.assistant.remove", Kind.COMMAND, none(),
    "Removes an assistant from a codelab (owner only).",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"facilitatorId\":\"f2\"}"),
  ATTENDEE_JOIN("persistence.attendee.join", Kind.COMMAND, none(),
    "Registers a new attendee (nickname unique per codelab, code already hashed); emits attendee.joined.",
    "{\"codelabId\":\"c1\",\"nickname\":\"neo\",\"codeHash\":\"$argon2id$...\",\"joinCode\":\"1234\"}"),
  ATTENDEE_FIND("persistence.attendee.find", Kind.QUERY, none(),
    "An attendee of a codelab by nickname (compared in its normalised, case-folded form), with the code hash, for rejoining.",
    "{\"codelabId\":\"c1\",\"nickname\":\"neo\"}"),
  ATTEMPTS_CHECK("persistence.attempts.check", Kind.COMMAND, none(),
    "Before a password or personal code is verified: counts the attempt against each key as a failure until it is reported a success, and refuses (allowed=false, retryAfterSeconds) while a key is locked out. Keys are scoped: sign-in.account, sign-in.source, rejoin.nickname, rejoin.source.",
    "{\"attempts\":[{\"scope\":\"sign-in.account\",\"key\":\"kim\"},{\"scope\":\"sign-in.source\",\"key\":\"203.0.113.7\"}],\"source\":\"203.0.113.7\"}"),
  ATTEMPTS_CLEAR("persistence.attempts.clear", Kind.COMMAND, none(),
    "The checked attempt succeeded: forgets the account or nickname keys' failures and takes the attempt back from the source keys.",
    "{\"attempts\":[{\"scope\":\"sign-in.account\",\"key\":\"kim\"},{\"scope\":\"sign-in.source\",\"key\":\"203.0.113.7\"}]}"),
  AUDIT_SIGN_IN("persistence.audit.sign-in", Kind.COMMAND, none(),
    "Records a facilitator sign-in as account.signin, or a failed one as account.signin-failed with the attempted username (truncated, never the password); failures of one username from one source within a minute share one entry with a count.",
    "{\"succeeded\":false,\"username\":\"kim\",\"source\":\"203.0.113.7\",\"reason\":\"password\"}"),
  AUDIT_LIST("persistence.audit.list", Kind.QUERY, none(),
    "A page of the audit log, newest first (admin only): filtered by actor (id or name), codelab (id or short code), action (exact, or a prefix ending in a dot) and time range; keyset-paged by the entry id in before, next is null on the last page.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Admin\"},\"action\":\"account.\",\"from\":1763860000000,\"limit\":50}"),
  PRESENCE_UPDATE("persistence.presence.update", Kind.COMMAND, none(),
    "A bridge node opened (+1) or closed (-1) a socket of an attendee; emits attendee.online / attendee.offline when the attendee's count over all nodes leaves or reaches zero.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"nodeId\":\"n1\",\"delta\":1}"),
  PRESENCE_HEARTBEAT("persistence.presence.heartbeat", Kind.COMMAND, none(),
    "A bridge node is alive (or, with gone=true, stopping); sockets of nodes silent for too long are swept and their attendees go offline.",
    "{\"nodeId\":\"n1\",\"gone\":false}"),
  DASHBOARD_GET("persistence.dashboard.get", Kind.QUERY, none(),
    "The facilitator dashboard of a codelab: per attendee step, time on step, online and stuck; per step counts and median time.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  COMPLETION_GET("persistence.completion.get", Kind.QUERY, none(),
    "An attendee's completion state: the codelab's rules, what is still missing, steps, quiz, feedback and submission; attendees their own, facilitators any attendee's.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\"}"),
  CERTIFICATE_ISSUE("persistence.certificate.issue", Kind.COMMAND, none(),
    "Issues the attendee's certificate once the writer finds the codelab complete (409 before), with the printed name (default the nickname) set once; a later call answers the same certificate. Emits certificate.issued.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\",\"name\":\"Thomas Anderson\"}"),
  CERTIFICATE_GET("persistence.certificate.get", Kind.QUERY, none(),
    "A certificate: by certificateId for anyone (public fields, status valid or revoked), or without it the actor's own in the codelab.",
    "{\"certificateId\":\"Vb3k9Qx0mT1uJ7rL2yWc4aHs\"}"),
  CERTIFICATE_LIST("persistence.certificate.list", Kind.QUERY, none(),
    "Every certificate of a codelab with its attendee (facilitators only).",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  CERTIFICATE_REVOKE("persistence.certificate.revoke", Kind.COMMAND, none(),
    "Revokes a certificate of the codelab with a reason (facilitators only, audited); its verify page and status then say revoked. Emits certificate.revoked.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"certificateId\":\"Vb3k9Qx0mT1uJ7rL2yWc4aHs\",\"reason\":\"Issued by mistake\"}"),
  CERTIFICATE_CREDENTIAL("persistence.certificate.credential", Kind.QUERY, none(),
    "A certificate as an Open Badges 3.0 OpenBadgeCredential, and that credential signed with the instance key as a VC-JWT; ids are absolute under baseUrl.",
    "{\"certificateId\":\"Vb3k9Qx0mT1uJ7rL2yWc4aHs\",\"baseUrl\":\"https://codelabs.example.org\"}"),
  CREDENTIAL_KEYS("persistence.credentials.keys", Kind.QUERY, none(),
    "The public part of the instance's credential signing key, as a JWKS and as one JWK, for the published key set and issuer profile.",
    "{}"),
  RAFFLE_DRAW("persistence.raffle.draw", Kind.COMMAND, none(),
    "Draws winners among the codelab's attendees who completed (or all), never one who won an earlier raffle of the codelab; reproducible from the seed (given as hex, else random) and the sorted eligible ids. Facilitators only, audited; emits raffle.drawn.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"winners\":2,\"among\":\"completed\"}"),
  RAFFLE_LIST("persistence.raffle.list", Kind.QUERY, none(),
    "The codelab's raffles, newest first, with seeds and winners (facilitators only).",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  ACCESS_CHECK("persistence.access.check", Kind.QUERY, none(),
    "What the actor is in a codelab: owner, assistant, attendee or none.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  CODELAB_LIST("persistence.codelab.list", Kind.QUERY, none(),
    "The codelabs the facilitator is a member of.", "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"}}"),
  CODELAB_GET("persistence.codelab.get", Kind.QUERY, none(),
    "A codelab as the actor may see it: facilitators all, attendees steps, others a summary.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  CODELAB_BY_SHORT_CODE("persistence.codelab.by-short-code", Kind.QUERY, none(),
    "The codelab a short projector link (/j/<code>) points to.", "{\"shortCode\":\"k7m2qx\"}"),
  CODELAB_EXPORT("persistence.codelab.export", Kind.QUERY, none(),
    "Everything a facilitator of the codelab wrote, for its export: settings and completion rules, steps' Markdown and durations, quizzes with their answer keys, and its materials with their storage keys, oldest first.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  ATTENDEE_LIST("persistence.attendee.list", Kind.QUERY, none(),
    "Attendees of a codelab: facilitators see every field, attendees nicknames only.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  HELP_LIST("persistence.help.list", Kind.QUERY, none(),
    "Help requests, open first: facilitators see all plus the open ones grouped by step with their common words, an attendee its own.", "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  PACING_GET("persistence.pacing.get", Kind.QUERY, none(),
    "The codelab's pacing: the step everyone is held at (or null), the known issue per step, and the latest poll (with its tally and every answer for facilitators, the actor's own answer for an attendee).",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\"}"),
  CHAT_HISTORY("persistence.chat.history", Kind.QUERY, none(),
    "Public messages plus the actor's own direct messages, newest last.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"limit\":100}"),
  ANNOUNCEMENT_LIST("persistence.announcement.list", Kind.QUERY, none(),
    "Announcements of a codelab, pinned first.", "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  SUBMISSION_RECORD("persistence.submission.record", Kind.COMMAND, none(),
    "Records an attendee's submission, a checked and stored file or a link, within the per-attendee limits; emits submission.added to the attendee and the facilitators.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\",\"kind\":\"file\",\"title\":\"Step 3\",\"fileName\":\"app.zip\",\"contentType\":\"application/zip\",\"sizeBytes\":48213,\"sha256\":\"9f86d08...\",\"storageKey\":\"c1/0192f0c4-...\"}"),
  SUBMISSION_DELETE("persistence.submission.delete", Kind.COMMAND, none(),
    "Deletes one of the attendee's own submissions and replies its storage key; emits submission.deleted.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\",\"submissionId\":\"s1\"}"),
  SUBMISSION_ALLOWANCE("persistence.submission.allowance", Kind.QUERY, none(),
    "How many submissions and bytes the attendee has and may have, so an upload past them is refused before it is read.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\"}"),
  SUBMISSION_LIST("persistence.submission.list", Kind.QUERY, none(),
    "Submissions of a codelab: facilitators see all, an attendee its own.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  MATERIAL_RECORD("persistence.material.record", Kind.COMMAND, none(),
    "Records a material a facilitator attaches: a link, a checked and stored file, or an image; emits material.added to everyone.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"kind\":\"link\",\"title\":\"Slides\",\"url\":\"https://example.org/slides\"}"),
  MATERIAL_DELETE("persistence.material.delete", Kind.COMMAND, none(),
    "Removes a material and replies its storage key; emits material.removed.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"materialId\":\"m1\"}"),
  MATERIAL_LIST("persistence.material.list", Kind.QUERY, none(),
    "Materials of a codelab, for its facilitators and attendees.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\"}"),
  QUIZZES_REPLACE("persistence.quizzes.replace", Kind.COMMAND, none(),
    "Replaces all quizzes of a codelab (facilitators; ids kept when sent, prompts already rendered); emits quizzes.updated without answer keys.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"quizzes\":[{\"title\":\"Check\",\"step\":2,\"attempts\":2,\"scoring\":\"best\",\"reveal\":\"after-submit\",\"questions\":[{\"kind\":\"short\",\"prompt\":\"Port?\",\"promptHtml\":\"<p>Port?</p>\",\"accepted\":[\"8080\"]}]}]}"),
  QUIZ_LIST("persistence.quiz.list", Kind.QUERY, none(),
    "Quizzes of a codelab: facilitators with answer keys; attendees without them, with their own attempts used, scores and passed.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\"}"),
  QUIZ_ATTEMPTS("persistence.quiz.attempts", Kind.QUERY, none(),
    "Attempts at a quiz: an attendee its own, facilitators everyone's.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\",\"quizId\":\"q1\"}"),
  FEEDBACK_GET("persistence.feedback.get", Kind.QUERY, none(),
    "Feedback: an attendee its own; facilitators the distributions and every comment.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  RESULTS_GET("persistence.results.get", Kind.QUERY, none(),
    "The facilitators' results of a codelab: per quiz and question right and wrong counts and common wrong answers, the feedback summary, who completed and who misses what, and one row per attendee.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  FILE_LOCATE("persistence.file.locate", Kind.QUERY, none(),
    "Where a stored submission or material file is and how to serve it, if the actor may download it.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"kind\":\"submission\",\"id\":\"s1\"}"),
  UPLOAD_REJECTED("persistence.upload.rejected", Kind.COMMAND, none(),
    "Audits an upload the scanner found infected; emits upload.rejected to the facilitators.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\",\"purpose\":\"submission\",\"fileName\":\"app.zip\",\"sha256\":\"275a021b...\",\"signature\":\"Eicar-Test-Signature\"}"),
  UPLOAD_TAKE("uploads.file.take", Kind.COMMAND, none(),
    "Node-local: takes a file the API verticle of the same node received into quarantine; checks its type, scans, hashes, stores and records it, or deletes it.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\",\"purpose\":\"submission\",\"quarantined\":\"6f1c2a3e-9d41-4f7b-a0c5-2b8e7d6f5a41\",\"fileName\":\"app.zip\",\"title\":\"Step 3\"}"),
  UPLOAD_REMOVE("uploads.file.remove", Kind.COMMAND, none(),
    "Node-local: deletes a submission or material record, then its stored file.",
    "{\"actor\":{\"role\":\"ATTENDEE\",\"id\":\"a9\",\"codelabId\":\"c1\",\"name\":\"neo\"},\"codelabId\":\"c1\",\"kind\":\"submission\",\"id\":\"s1\"}"),
  UPLOAD_PURGE("uploads.files.purge", Kind.COMMAND, none(),
    "Node-local: deletes every stored file of a codelab that has just been deleted.", "{\"codelabId\":\"c1\"}"),
  UPLOAD_STATUS("uploads.scanner.status", Kind.QUERY, none(),
    "Node-local: whether a virus scanner is configured and answers, and where files are stored, for readiness.", "{}"),
  UPLOAD_IMPORT("uploads.codelab.import", Kind.COMMAND, none(),
    "Node-local: reads a codelab file the API verticle of the same node received into quarantine (this server's export, an Open Codelabs export, claat Markdown or a claat ZIP), checks, scans and stores its images and materials, and creates the codelab through persistence.codelab.import; on any failure deletes what it stored. Replies the codelab id and warnings.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"quarantined\":\"6f1c2a3e-9d41-4f7b-a0c5-2b8e7d6f5a41\",\"fileName\":\"codelab.zip\"}"),
  UPLOAD_EXPORT("uploads.codelab.export", Kind.QUERY, none(),
    "Node-local: writes a codelab's export ZIP into this node's quarantine for the API verticle to send (and delete); replies its name.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\"}"),
  WEBHOOK_CREATE("persistence.webhook.create", Kind.COMMAND, none(),
    "A facilitator registers a webhook endpoint for one of its codelabs (codelabId) or for all of them (none), with the event types it wants (none: all); the API checked the URL and issued the secret; audited.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"url\":\"https://hooks.example.org/codelabs\",\"description\":\"Grader\",\"eventTypes\":[\"help.requested\"],\"secret\":\"whsec_...\"}"),
  WEBHOOK_LIST("persistence.webhook.list", Kind.QUERY, none(),
    "The caller's webhook endpoints (optionally of one codelab), without their secrets.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"}}"),
  WEBHOOK_UPDATE("persistence.webhook.update", Kind.COMMAND, none(),
    "Changes an endpoint's URL, description, event types or enabled flag (enabling clears why it was disabled); audited.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"webhookId\":\"w1\",\"enabled\":false}"),
  WEBHOOK_DELETE("persistence.webhook.delete", Kind.COMMAND, none(),
    "Deletes an endpoint with its positions and delivery log; audited.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"webhookId\":\"w1\"}"),
  WEBHOOK_ROTATE("persistence.webhook.rotate", Kind.COMMAND, none(),
    "Replaces an endpoint's secret; the previous one keeps signing too until previousUntil; audited.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"webhookId\":\"w1\",\"secret\":\"whsec_...\",\"overlapMs\":86400000}"),
  WEBHOOK_DELIVERIES("persistence.webhook.deliveries", Kind.QUERY, none(),
    "An endpoint's delivery log, newest first: each attempt's status, response code, latency and error.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"webhookId\":\"w1\"}"),
  WEBHOOK_TARGETS("persistence.webhook.targets", Kind.QUERY, none(),
    "For the delivering node: every enabled endpoint with its URL, event types and the secrets it signs with.", "{}"),
  WEBHOOK_PENDING("persistence.webhook.pending", Kind.QUERY, none(),
    "For the delivering node: an endpoint's next events after its positions, in seq order per codelab, from the codelabs its owner is a facilitator of.",
    "{\"webhookId\":\"w1\",\"limit\":100}"),
  WEBHOOK_RECORD("persistence.webhook.record", Kind.COMMAND, none(),
    "For the delivering node: logs an attempt (the log keeps the newest rows per endpoint) and moves the endpoint's position in a codelab forward.",
    "{\"webhookId\":\"w1\",\"records\":[{\"codelabId\":\"c1\",\"position\":42,\"delivery\":{\"seq\":42,\"messageId\":\"msg_w1_c1_42\",\"type\":\"help.requested\",\"status\":\"delivered\",\"attempt\":1,\"responseCode\":204,\"latencyMs\":12}}]}"),
  WEBHOOK_GIVE_UP("persistence.webhook.give-up", Kind.COMMAND, none(),
    "For the delivering node: disables an endpoint whose delivery failed for the whole retry window; audited as webhook.disable; emits webhook.disabled.",
    "{\"webhookId\":\"w1\",\"codelabId\":\"c1\",\"reason\":\"HTTP 500 for 24 h\"}"),
  WEBHOOK_DELIVERY_GET("persistence.webhook.delivery", Kind.QUERY, none(),
    "One logged delivery of the caller's endpoint with its body and the endpoint's URL and secrets, to send it again.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"webhookId\":\"w1\",\"deliveryId\":7}"),
  WEBHOOK_REDELIVER("webhooks.delivery.redeliver", Kind.COMMAND, none(),
    "Answered by the delivering node: sends one logged delivery again, once, with its webhook-id, and logs the attempt.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"webhookId\":\"w1\",\"deliveryId\":7}"),
  EVENTS_APPENDED("codelab.events.appended", Kind.EVENT, none(),
    "Published by the writer after each commit that appended events: per codelab, its latest seq, so the delivering node reads the log at once instead of waiting for its next poll.",
    "{\"codelabs\":{\"c1\":42}}"),
  EVENTS_SINCE("codelab.events.replay", Kind.QUERY, EnumSet.of(Role.ATTENDEE, Role.FACILITATOR),
    "Replay: the events the caller may see after a seq, in order, or reset=true when outside the window or the epoch changed.",
    "{\"actor\":{\"role\":\"FACILITATOR\",\"id\":\"f1\",\"name\":\"Kim\"},\"codelabId\":\"c1\",\"after\":41,\"epoch\":\"9f2c41d0a6b34e1f8c2d7a5b0e913c68\",\"limit\":500}",
    "eventsSince"),
  BRIDGE_PING("bridge.ping", Kind.QUERY, EnumSet.of(Role.ATTENDEE, Role.FACILITATOR),
    "Answered at once with an empty body by the bridge node holding the socket, never sent on the bus: a client that hears no answer within a few seconds knows its socket is dead though no close came (a network that drops packets silently), and reconnects.",
    "{}"),

  PROGRESS_REPORT("codelab.progress.report", Kind.COMMAND, EnumSet.of(Role.ATTENDEE),
    "An attendee reports its current step, and optionally that it completed it; emits attendee.step-changed / attendee.step-completed.",
    "{\"eventId\":\"p-5b0c77e1\",\"step\":2,\"completed\":true}",
    "reportProgress"),
  HELP_REQUEST("codelab.help.request", Kind.COMMAND, EnumSet.of(Role.ATTENDEE),
    "An attendee asks for help on a step (its current one by default); emits help.requested.",
    "{\"eventId\":\"h-77aa01f3\",\"step\":2,\"message\":\"Build fails\"}",
    "requestHelp"),
  HELP_CLAIM("codelab.help.claim", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "A facilitator takes a help request; emits help.claimed to the facilitators and the attendee.",
    "{\"helpId\":\"h1\"}",
    "claimHelp"),
  HELP_RESOLVE("codelab.help.resolve", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "A facilitator closes a help request; emits help.resolved to the facilitators and the attendee.",
    "{\"helpId\":\"h1\"}",
    "resolveHelp"),
  HELP_CANCEL("codelab.help.cancel", Kind.COMMAND, EnumSet.of(Role.ATTENDEE),
    "An attendee withdraws its own open or claimed help request; emits help.cancelled to it and the facilitators.",
    "{\"helpId\":\"h1\"}",
    "cancelHelp"),
  HELP_ASSIGN("codelab.help.assign", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "A facilitator hands a help request to one of the codelab's facilitators (usually an assistant); audited; emits help.assigned.",
    "{\"helpId\":\"h1\",\"facilitatorId\":\"f2\"}",
    "assignHelp"),
  PACING_HOLD("codelab.pacing.hold", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "Holds every attendee at a step (\"wait here\"): progress past it is refused with code 423 until released; audited; emits pacing.held.",
    "{\"step\":3}",
    "holdAtStep"),
  PACING_RELEASE("codelab.pacing.release", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "Releases the hold; audited; emits pacing.released.",
    "{}",
    "releaseHold"),
  PACING_SEND("codelab.pacing.send-to-step", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "Sends everyone to a step (not past a hold): each attendee's app moves there, and they may come back; audited; emits pacing.sent-to-step.",
    "{\"step\":2}",
    "sendToStep"),
  POLL_START("codelab.poll.start", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "Starts a one-click pulse poll \"done with step N?\" (closing the open one); emits poll.started.",
    "{\"step\":2}",
    "startPoll"),
  POLL_ANSWER("codelab.poll.answer", Kind.COMMAND, EnumSet.of(Role.ATTENDEE),
    "An attendee answers the open poll yes or not-yet, once, and may change it until the poll closes; emits poll.answered to the facilitators with the tally.",
    "{\"pollId\":\"p1\",\"answer\":\"yes\"}",
    "answerPoll"),
  POLL_CLOSE("codelab.poll.close", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "Closes a poll; emits poll.closed with the final tally.",
    "{\"pollId\":\"p1\"}",
    "closePoll"),
  KNOWN_ISSUE_SET("codelab.known-issue.set", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "Pins a short note (up to 280 characters) to a step that every attendee on it sees; an empty text takes it down; audited; emits issue.pinned / issue.unpinned.",
    "{\"step\":3,\"text\":\"Gradle sync fails behind the proxy: use the offline mirror in the README\"}",
    "setKnownIssue"),
  CHAT_SEND("codelab.chat.send", Kind.COMMAND, EnumSet.of(Role.ATTENDEE, Role.FACILITATOR),
    "A chat message: public, or direct between one attendee and the codelab's facilitators; emits chat.posted.",
    "{\"eventId\":\"c-a1b2c3d4\",\"text\":\"Hello\",\"direct\":true,\"attendeeId\":\"a9\"}",
    "sendChat"),
  ANNOUNCEMENT_POST("codelab.announcement.post", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "Posts an announcement to everyone; emits announcement.posted.",
    "{\"eventId\":\"n-c3d4e5f6\",\"text\":\"Lunch at 12\",\"pinned\":true}",
    "postAnnouncement"),
  ANNOUNCEMENT_PIN("codelab.announcement.pin", Kind.COMMAND, EnumSet.of(Role.FACILITATOR),
    "Pins or unpins an announcement; emits announcement.pinned / announcement.unpinned.",
    "{\"announcementId\":\"n1\",\"pinned\":false}",
    "pinAnnouncement"),
  QUIZ_SUBMIT("persistence.quiz.submit", Kind.COMMAND, EnumSet.of(Role.ATTENDEE),
    "An attendee submits answers to a quiz; the writer grades them, enforces the attempts limit and replies the attempt (answer keys only when the quiz reveals them); emits quiz.submitted and quiz.graded.",
    "{\"eventId\":\"q-5b0c77e1\",\"quizId\":\"q1\",\"answers\":{\"q1\":[\"c2\"],\"q2\":\"8080\"}}",
    "submitQuizAttempt"),
  FEEDBACK_GIVE("persistence.feedback.give", Kind.COMMAND, EnumSet.of(Role.ATTENDEE),
    "An attendee gives or edits its feedback (difficulty, satisfaction 1-5, a comment) until the codelab is archived; emits feedback.given.",
    "{\"eventId\":\"f-5b0c77e1\",\"difficulty\":3,\"satisfaction\":5,\"comment\":\"Great\"}",
    "giveFeedback"),

  PUBLIC_EVENTS("codelab.public.{codelabId}", Kind.EVENT, EnumSet.of(Role.ATTENDEE, Role.FACILITATOR),
    "Everything every attendee of the codelab may see: joins, chat, announcements, step edits, materials.",
    "{\"codelabId\":\"c1\",\"seq\":42,\"epoch\":\"9f2c41d0a6b34e1f8c2d7a5b0e913c68\",\"stream\":\"public\",\"streamSeq\":17,\"type\":\"chat.posted\",\"at\":1763860000000,\"data\":{\"message\":{\"id\":\"m1\",\"text\":\"Hello\"}}}"),
  FACILITATOR_EVENTS("codelab.facilitators.{codelabId}", Kind.EVENT, EnumSet.of(Role.FACILITATOR),
    "Events for the codelab's facilitators only (progress, help, direct messages, submissions, rejected uploads); with the public stream, seq is contiguous.",
    "{\"codelabId\":\"c1\",\"seq\":43,\"stream\":\"facilitators\",\"type\":\"attendee.step-changed\",\"data\":{\"attendeeId\":\"a9\",\"step\":3}}"),
  DASHBOARD_EVENTS("codelab.dashboard.{codelabId}", Kind.SNAPSHOT, EnumSet.of(Role.FACILITATOR),
    "Node-local, never published on the bus: each bridge node asks persistence.dashboard.get every few seconds while one of its sockets watches, and writes the answer to those sockets only.",
    "{\"codelabId\":\"c1\",\"at\":1763860000000,\"steps\":[{\"position\":0,\"current\":12,\"completed\":30,\"medianMs\":240000}],\"attendees\":[{\"id\":\"a9\",\"nickname\":\"neo\",\"currentStep\":2,\"timeOnStepMs\":900000,\"online\":true,\"stuck\":true}]}"),
  INBOX_EVENTS("codelab.inbox.{codelabId}.{attendeeId}", Kind.EVENT, EnumSet.of(Role.ATTENDEE),
    "One attendee's own events (direct messages, its help request claimed/resolved, its submissions); also sent to the facilitators stream.",
    "{\"codelabId\":\"c1\",\"seq\":44,\"stream\":\"attendee\",\"streamSeq\":3,\"type\":\"help.resolved\",\"data\":{\"helpId\":\"h1\"}}");

  public enum Kind {
    COMMAND, QUERY, EVENT,
    /** State a bridge node computes and writes to its own sockets: registered like an event, never on the bus. */
    SNAPSHOT
  }

  public enum Role { ATTENDEE, FACILITATOR }

  public final String address;
  public final Kind kind;
  public final Set<Role> users;
  public final String description;
  public final String example;
  /**
   * The operationId in {@code openapi/openapi.yaml} of the REST route that does the same, for a
   * command or query browsers may send: its parameters and body schema are this address's body rules.
   */
  public final String operation;
  /** The address's text around its placeholders: one more than there are placeholders. */
  private final String[] literals;

  Address(String address, Kind kind, Set<Role> users, String description, String example) {
    this(address, kind, users, description, example, null);
  }

  Address(String address, Kind kind, Set<Role> users, String description, String example, String operation) {
    this.address = address;
    this.kind = kind;
    this.users = users;
    this.description = description;
    this.example = example;
    this.operation = operation;
    this.literals = address.split("\\{[a-zA-Z]+}", -1);
  }

  /**
   * Where the writer of the core node that leads the log takes this command or query: a consumer on that node only,
   * reached through the node's router, so that leading needs no new registration in the cluster.
   */
  public String onLeader() {
    return "leader." + address;
  }

  /** Whether messages at this address flow out to subscribers (events, snapshots) rather than being requests. */
  public boolean outbound() {
    return kind == Kind.EVENT || kind == Kind.SNAPSHOT;
  }

  private static Set<Role> none() {
    return EnumSet.noneOf(Role.class);
  }

  /** The concrete address of a templated entry, placeholders filled in order; a value may not hold a brace. */
  public String of(String... values) {
    if (values.length < literals.length - 1) {
      throw new IllegalArgumentException("Missing values for " + address);
    }
    StringBuilder result = new StringBuilder(literals[0]);
    for (int i = 1; i < literals.length; i++) {
      String value = values[i - 1];
      if (value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
        throw new IllegalArgumentException("A brace in a value for " + address);
      }
      result.append(value).append(literals[i]);
    }
    return result.toString();
  }

  public JsonObject describe() {
    return new JsonObject()
      .put("address", address)
      .put("kind", kind.name().toLowerCase())
      .put("users", users.stream().map(r -> r.name().toLowerCase()).toList())
      .put("description", description)
      .put("example", example);
  }
}

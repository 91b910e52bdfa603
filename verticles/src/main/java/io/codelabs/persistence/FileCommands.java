package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Submissions and materials: the records of files the uploads verticle checked and stored, and of
 * links. The per-attendee limits are enforced here, where every submission is serialised.
 */
final class FileCommands {
  /** What one attendee may have handed in at once. */
  record Limits(long maxAttendeeBytes, int maxSubmissions) {
  }

  private final Limits limits;

  FileCommands(Limits limits) {
    this.limits = limits;
  }

  Map<Address, Writer.Command> all() {
    Map<Address, Writer.Command> commands = new EnumMap<>(Address.class);
    commands.put(Address.SUBMISSION_RECORD, this::recordSubmission);
    commands.put(Address.SUBMISSION_DELETE, FileCommands::deleteSubmission);
    commands.put(Address.MATERIAL_RECORD, FileCommands::recordMaterial);
    commands.put(Address.MATERIAL_DELETE, FileCommands::deleteMaterial);
    commands.put(Address.UPLOAD_REJECTED, FileCommands::uploadRejected);
    return commands;
  }

  JsonObject recordSubmission(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    Entry entry = Entry.of(body, Set.of("file", "link"));
    JsonObject used = tx.one(Rows.SUBMISSION_USAGE, actor.id());
    if (used.getInteger("files") + 1 > limits.maxSubmissions) {
      throw tooMany(limits);
    }
    if (entry.sizeBytes != null && used.getLong("bytes") + entry.sizeBytes > limits.maxAttendeeBytes) {
      throw ErrorCode.TOO_LARGE.failure("This file would take your submissions past " + limits.maxAttendeeBytes
        + " bytes (" + used.getLong("bytes") + " used); delete one first");
    }
    String id = tx.newId();
    tx.update("""
      INSERT INTO submissions (id, codelab_id, attendee_id, kind, title, url, file_name, content_type, size_bytes,
        sha256, storage_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
      id, codelabId, actor.id(), entry.kind, entry.title, entry.url, entry.fileName, entry.contentType,
      entry.sizeBytes, entry.sha256, entry.storageKey, tx.now);
    JsonObject submission = tx.one("SELECT " + Rows.SUBMISSION + " WHERE s.id = ?", id);
    long seq = tx.emit(EventType.SUBMISSION_ADDED).in(codelabId).by(actor).toInboxOf(actor.id())
      .with(new JsonObject().put("submission", submission));
    Completion.reassess(tx, codelabId, actor.id());
    return tx.eventful(seq, false).put("submission", submission);
  }

  static RuntimeException tooMany(Limits limits) {
    return ErrorCode.TOO_LARGE.failure("An attendee may hand in at most " + limits.maxSubmissions
      + " submissions; delete one first");
  }

  static JsonObject deleteSubmission(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireAttendee();
    String id = body.getString("submissionId");
    JsonObject row = tx.one("SELECT storage_key AS storageKey FROM submissions "
      + "WHERE id = ? AND codelab_id = ? AND attendee_id = ?", id, codelabId, actor.id());
    if (row == null) {
      throw ErrorCode.NOT_FOUND.failure("You have no submission " + id);
    }
    tx.update("DELETE FROM submissions WHERE id = ?", id);
    long seq = tx.emit(EventType.SUBMISSION_DELETED).in(codelabId).by(actor).toInboxOf(actor.id())
      .with(new JsonObject().put("submissionId", id).put("attendeeId", actor.id()));
    return tx.eventful(seq, false).put("submissionId", id).put("storageKey", row.getString("storageKey"));
  }

  static JsonObject recordMaterial(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    Entry entry = Entry.of(body, Set.of("file", "link", "image"));
    String id = tx.newId();
    tx.update("""
      INSERT INTO materials (id, codelab_id, kind, title, url, file_name, content_type, size_bytes, sha256,
        storage_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
      id, codelabId, entry.kind, entry.title, entry.url, entry.fileName, entry.contentType, entry.sizeBytes,
      entry.sha256, entry.storageKey, actor.id(), tx.now);
    tx.audit(actor, "material.add", codelabId, new JsonObject().put("materialId", id).put("kind", entry.kind));
    JsonObject material = tx.one("SELECT " + Rows.MATERIAL + " WHERE m.id = ?", id);
    long seq = tx.emit(EventType.MATERIAL_ADDED).in(codelabId).by(actor).toEveryone()
      .with(new JsonObject().put("material", material));
    return tx.eventful(seq, false).put("material", material);
  }

  static JsonObject deleteMaterial(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    String id = body.getString("materialId");
    JsonObject row = tx.one("SELECT storage_key AS storageKey FROM materials WHERE id = ? AND codelab_id = ?",
      id, codelabId);
    if (row == null) {
      throw ErrorCode.NOT_FOUND.failure("No material " + id);
    }
    tx.update("DELETE FROM materials WHERE id = ?", id);
    tx.audit(actor, "material.remove", codelabId, new JsonObject().put("materialId", id));
    long seq = tx.emit(EventType.MATERIAL_REMOVED).in(codelabId).by(actor).toEveryone()
      .with(new JsonObject().put("materialId", id));
    return tx.eventful(seq, false).put("materialId", id).put("storageKey", row.getString("storageKey"));
  }

  static JsonObject uploadRejected(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireParticipant();
    JsonObject detail = new JsonObject()
      .put("purpose", Input.text(body, "purpose", 1, 20))
      .put("fileName", Input.text(body, "fileName", 1, 200))
      .put("sha256", Input.text(body, "sha256", 64, 64))
      .put("signature", Input.text(body, "signature", 1, 200));
    tx.audit(actor, EventType.UPLOAD_REJECTED.type, codelabId, detail);
    long seq = tx.emit(EventType.UPLOAD_REJECTED).in(codelabId).by(actor).toFacilitators().with(detail.copy()
      .put("byRole", actor.role().name().toLowerCase()).put("byId", actor.id()).put("byName", actor.name()));
    return tx.eventful(seq, false);
  }

  /** A submission or material as a command describes it: a link, or a file already stored. */
  record Entry(String kind, String title, String url, String fileName, String contentType, Long sizeBytes,
                       String sha256, String storageKey) {

    static Entry of(JsonObject body, Set<String> kinds) {
      String kind = Input.text(body, "kind", 1, 10);
      if (!kinds.contains(kind)) {
        throw ErrorCode.INVALID.failure("kind must be one of " + kinds);
      }
      if (kind.equals("link")) {
        String url = Input.text(body, "url", 8, 2000);
        if (!url.matches("(?i)https?://\\S+")) {
          throw ErrorCode.INVALID.failure("url must be an http or https address");
        }
        return new Entry(kind, Input.optionalText(body, "title", 200, url), url, null, null, null, null, null);
      }
      String fileName = Input.text(body, "fileName", 1, 200);
      Object size = body.getValue("sizeBytes");
      if (!(size instanceof Number number) || number.longValue() < 1) {
        throw ErrorCode.INVALID.failure("sizeBytes must be a positive number");
      }
      String sha256 = Input.text(body, "sha256", 64, 64);
      return new Entry(kind, Input.optionalText(body, "title", 200, fileName), null, fileName,
        Input.text(body, "contentType", 1, 100), number.longValue(), sha256, Input.text(body, "storageKey", 1, 200));
    }
  }
}

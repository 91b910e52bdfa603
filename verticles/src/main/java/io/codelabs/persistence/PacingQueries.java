package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The pacing state of a codelab as its attendees and facilitators see it; answers per attendee to facilitators only. */
final class PacingQueries {
  private final ReadQueries reads;

  PacingQueries(ReadQueries reads) {
    this.reads = reads;
  }

  void addTo(Map<Address, Function<JsonObject, Future<JsonObject>>> queries) {
    queries.put(Address.PACING_GET, this::pacing);
  }

  private Future<JsonObject> pacing(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return reads.access(actor, id).compose(access -> {
      access.requireParticipant();
      Future<JsonObject> held = reads.one("SELECT held_at_step AS step FROM codelabs WHERE id = ?", id);
      Future<List<JsonObject>> issues = reads.rows(
        "SELECT step, text FROM known_issues WHERE codelab_id = ? ORDER BY step", id);
      Future<JsonObject> poll = reads.one("""
        SELECT p.id, p.step, p.opened_at AS openedAt, p.closed_at AS closedAt,
          (SELECT count(*) FROM pulse_answers WHERE poll_id = p.id AND answer = 'yes') AS yes,
          (SELECT count(*) FROM pulse_answers WHERE poll_id = p.id AND answer = 'not-yet') AS notYet
        FROM pulse_polls p WHERE p.codelab_id = ? ORDER BY p.opened_at DESC, p.rowid DESC LIMIT 1""", id);
      return Future.all(held, issues, poll).compose(done -> {
        JsonObject reply = new JsonObject().put("heldAtStep", held.result().getInteger("step"))
          .put("knownIssues", new JsonArray(issues.result()));
        JsonObject latest = poll.result();
        if (latest == null) {
          return Future.succeededFuture(reply.putNull("poll"));
        }
        latest.put("tally", new JsonObject().put("yes", latest.remove("yes")).put("notYet", latest.remove("notYet")));
        reply.put("poll", latest);
        if (access.isFacilitator()) {
          return reads.rows("SELECT r.attendee_id AS attendeeId, a.nickname, r.answer FROM pulse_answers r "
              + "JOIN attendees a ON a.id = r.attendee_id WHERE r.poll_id = ? ORDER BY a.nickname_key",
            latest.getString("id"))
            .map(answers -> {
              latest.put("answers", new JsonArray(answers));
              return reply;
            });
        }
        return reads.one("SELECT answer FROM pulse_answers WHERE poll_id = ? AND attendee_id = ?",
          latest.getString("id"), actor.id())
          .map(mine -> {
            latest.put("mine", mine == null ? null : mine.getString("answer"));
            return reply;
          });
      });
    });
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.metrics.Meters;
import io.codelabs.tokens.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** Every read, served by the read pool so that reads never wait behind the writer. */
final class ReadQueries {
  private static final String CODELAB_COLUMNS = """
    c.id, c.short_code AS shortCode, c.title, c.summary, c.author, c.categories, c.visibility, c.joins_closed = 1 AS joinsClosed,
    c.archived = 1 AS archived, c.created_at AS createdAt, c.updated_at AS updatedAt, c.completion,
    (SELECT count(*) FROM steps s WHERE s.codelab_id = c.id) AS stepCount,
    (SELECT count(*) FROM attendees a WHERE a.codelab_id = c.id) AS attendeeCount""";

  /** The steps an attendee completed, as a JSON array, in a query over attendees aliased {@code a}. */
  private static final String COMPLETED_STEPS = "(SELECT json_group_array(step) FROM (SELECT step "
    + "FROM step_completions WHERE attendee_id = a.id ORDER BY step)) AS completedSteps";

  private final Vertx vertx;
  private final Pool pool;
  private final String epoch;
  private final String signingSecret;
  private final int replayWindow;
  private final FileCommands.Limits uploadLimits;
  private final Meters meters;

  ReadQueries(Vertx vertx, Pool pool, String epoch, String signingSecret, int replayWindow,
              FileCommands.Limits uploadLimits) {
    this.vertx = vertx;
    this.pool = pool;
    this.epoch = epoch;
    this.signingSecret = signingSecret;
    this.replayWindow = replayWindow;
    this.uploadLimits = uploadLimits;
    this.meters = Meters.of(vertx);
  }

  /** Builds an answer from rows on a worker: a large room's rows take too long to fold on the event loop. */
  <T> Future<T> fold(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  Map<Address, Function<JsonObject, Future<JsonObject>>> all() {
    Map<Address, Function<JsonObject, Future<JsonObject>>> queries = new EnumMap<>(Address.class);
    queries.put(Address.AUTH_KEYS, body -> revocations().map(revocations ->
      new JsonObject().put("signingSecret", signingSecret).put("epoch", epoch).put("revocations", revocations)));
    queries.put(Address.FACILITATOR_FIND, this::findFacilitator);
    queries.put(Address.FACILITATOR_LIST, this::listFacilitators);
    queries.put(Address.FACILITATOR_GET, this::getFacilitator);
    queries.put(Address.ACCESS_CHECK, body -> access(Input.actor(body), body.getString("codelabId"))
      .map(access -> new JsonObject().put("access", access.name().toLowerCase())));
    queries.put(Address.CODELAB_LIST, this::listCodelabs);
    queries.put(Address.CODELAB_GET, this::getCodelab);
    queries.put(Address.CODELAB_BY_SHORT_CODE, body -> one("SELECT id AS codelabId FROM codelabs WHERE short_code = ?",
      body.getString("shortCode")).map(row -> required(row, "No codelab has the short link " + body.getString("shortCode"))));
    queries.put(Address.ATTENDEE_FIND, this::findAttendee);
    queries.put(Address.ATTENDEE_LIST, this::listAttendees);
    queries.put(Address.HELP_LIST, this::listHelp);
    queries.put(Address.CHAT_HISTORY, this::chatHistory);
    queries.put(Address.ANNOUNCEMENT_LIST, this::listAnnouncements);
    queries.put(Address.EVENTS_SINCE, this::eventsSince);
    queries.put(Address.DASHBOARD_GET, this::dashboard);
    queries.put(Address.COMPLETION_GET, this::completion);
    new QuizQueries(this).addTo(queries);
    new PacingQueries(this).addTo(queries);
    new AuditQueries(this).addTo(queries);
    new ApiKeyQueries(this).addTo(queries);
    new WebhookQueries(this, epoch).addTo(queries);
    queries.put(Address.SUBMISSION_LIST, this::listSubmissions);
    queries.put(Address.SUBMISSION_ALLOWANCE, this::submissionAllowance);
    queries.put(Address.MATERIAL_LIST, this::listMaterials);
    queries.put(Address.CODELAB_EXPORT, this::exportCodelab);
    queries.put(Address.FILE_LOCATE, this::locateFile);
    return queries;
  }

  private Future<JsonObject> findFacilitator(JsonObject body) {
    String facilitatorId = body.getString("facilitatorId");
    String key = facilitatorId != null ? facilitatorId : body.getString("username");
    return one("SELECT id, username, display_name AS displayName, password_hash AS passwordHash, "
      + "is_admin = 1 AS admin, disabled_at IS NOT NULL AS disabled FROM facilitators WHERE "
      + (facilitatorId != null ? "id = ?" : "username = ?"), key)
      .map(row -> account(required(row, "No facilitator " + key)));
  }

  /** Admin status is read here, in the database, never taken from the caller. */
  Future<Void> requireAdmin(JsonObject body, String refusal) {
    return one("SELECT 1 AS admin FROM facilitators WHERE id = ? AND is_admin = 1 AND disabled_at IS NULL",
      Input.facilitator(body).id())
      .compose(admin -> admin == null ? Future.failedFuture(ErrorCode.FORBIDDEN.failure(refusal)) : Future.succeededFuture());
  }

  private Future<JsonObject> listFacilitators(JsonObject body) {
    return requireAdmin(body, "Only the instance admin may manage facilitator accounts")
      .compose(admin -> rows("SELECT id, username, display_name AS displayName, is_admin = 1 AS admin, "
        + "disabled_at IS NOT NULL AS disabled, created_at AS createdAt FROM facilitators ORDER BY created_at, username"))
      .map(rows -> new JsonObject().put("facilitators",
        new JsonArray(rows.stream().map(ReadQueries::account).toList())));
  }

  private static JsonObject account(JsonObject row) {
    return row.put("admin", ((Number) row.getValue("admin")).intValue() == 1)
      .put("disabled", ((Number) row.getValue("disabled")).intValue() == 1);
  }

  /** What every API and bridge verticle starts from: the revocations that still matter. */
  private Future<JsonObject> revocations() {
    long now = System.currentTimeMillis();
    Future<List<JsonObject>> sessions = rows("SELECT session_id AS sessionId, subject, issued_at AS issuedAt, "
      + "expires_at AS expiresAt FROM revoked_sessions WHERE expires_at > ?", now);
    Future<List<JsonObject>> cutoffs = rows("SELECT subject, not_before AS notBefore FROM session_cutoffs "
      + "WHERE not_before >= ?", now - Tokens.LONGEST_TTL_S * 1000L);
    Future<List<JsonObject>> disabled = rows("SELECT id AS subject, 1 = 1 AS disabled, disabled_at AS at "
      + "FROM facilitators WHERE disabled_at IS NOT NULL");
    return Future.all(sessions, cutoffs, disabled).map(all -> new JsonObject()
      .put("sessions", new JsonArray(sessions.result()))
      .put("cutoffs", new JsonArray(cutoffs.result()))
      .put("accounts", new JsonArray(disabled.result().stream().map(row -> row.put("disabled", true)).toList())));
  }

  private Future<JsonObject> getFacilitator(JsonObject body) {
    return one("SELECT id, username, display_name AS displayName FROM facilitators WHERE id = ?",
      body.getString("facilitatorId"))
      .map(row -> required(row, "No facilitator " + body.getString("facilitatorId")));
  }

  private Future<JsonObject> listCodelabs(JsonObject body) {
    Actor actor = Input.facilitator(body);
    return rows("SELECT " + CODELAB_COLUMNS + ", m.role FROM codelabs c "
      + "JOIN codelab_members m ON m.codelab_id = c.id AND m.facilitator_id = ? ORDER BY c.updated_at DESC", actor.id())
      .map(rows -> new JsonObject().put("codelabs", new JsonArray(rows.stream().map(ReadQueries::codelab).toList())));
  }

  private Future<JsonObject> getCodelab(JsonObject body) {
    Actor actor = Actor.of(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> one("SELECT " + CODELAB_COLUMNS + ", c.join_code AS joinCode "
        + "FROM codelabs c WHERE c.id = ?", id)
      .compose(row -> {
        JsonObject codelab = codelab(row);
        if (!access.isFacilitator()) {
          codelab.remove("joinCode");
        }
        if (access == Access.NONE) {
          return Future.succeededFuture(codelab.put("access", "none"));
        }
        codelab.put("access", access.name().toLowerCase());
        String stepColumns = access.isFacilitator() ? "id, title, markdown, html" : "id, title, html";
        Future<List<JsonObject>> steps = rows("SELECT position, " + stepColumns
          + ", duration_minutes AS durationMinutes FROM steps WHERE codelab_id = ? ORDER BY position", id);
        Future<List<JsonObject>> members = access.isFacilitator()
          ? rows("SELECT f.id, f.username, f.display_name AS displayName, m.role FROM codelab_members m "
          + "JOIN facilitators f ON f.id = m.facilitator_id WHERE m.codelab_id = ? ORDER BY m.role DESC, f.username", id)
          : Future.succeededFuture(null);
        Future<JsonObject> progress = access == Access.ATTENDEE
          ? one("SELECT a.current_step AS currentStep, " + COMPLETED_STEPS + " FROM attendees a WHERE a.id = ?",
          actor.id()).map(ReadQueries::withCompletedSteps)
          : Future.succeededFuture(null);
        return Future.all(steps, members, progress).map(done -> {
          codelab.put("steps", new JsonArray(steps.result()));
          if (members.result() != null) {
            codelab.put("facilitators", new JsonArray(members.result()));
          }
          if (progress.result() != null) {
            codelab.put("progress", progress.result());
          }
          return codelab;
        });
      }));
  }

  private Future<JsonObject> findAttendee(JsonObject body) {
    return one("SELECT a.id, a.codelab_id AS codelabId, a.nickname, a.code_hash AS codeHash, "
      + "a.current_step AS currentStep, " + COMPLETED_STEPS + ", "
      + "COALESCE(c.visibility = 'public' OR c.join_code = ?, 0) AS joinCodeOk FROM attendees a "
      + "JOIN codelabs c ON c.id = a.codelab_id WHERE a.codelab_id = ? AND a.nickname_key = ?",
      body.getString("joinCode"), body.getString("codelabId"),
      Nicknames.key(Nicknames.display(Input.text(body, "nickname", 1, 40))))
      .map(row -> withCompletedSteps(required(row, "No attendee " + body.getString("nickname"))));
  }

  private Future<JsonObject> listAttendees(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> {
      access.requireParticipant();
      if (!access.isFacilitator()) {
        return rows("SELECT nickname FROM attendees WHERE codelab_id = ? ORDER BY joined_at", id);
      }
      return rows("SELECT a.id, a.nickname, a.current_step AS currentStep, a.step_started_at AS stepStartedAt, "
        + "a.joined_at AS joinedAt, a.last_seen_at AS lastSeenAt, " + COMPLETED_STEPS
        + " FROM attendees a WHERE a.codelab_id = ? ORDER BY a.joined_at", id)
        .map(rows -> rows.stream().map(ReadQueries::withCompletedSteps).toList());
    }).map(rows -> new JsonObject().put("attendees", new JsonArray(rows)));
  }

  private static JsonObject withCompletedSteps(JsonObject row) {
    return row.put("completedSteps", new JsonArray(row.getString("completedSteps")));
  }

  private Future<JsonObject> listHelp(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> {
      access.requireParticipant();
      String order = " ORDER BY h.status = 'resolved', h.created_at";
      return access.isFacilitator()
        ? rows("SELECT " + Rows.HELP + " WHERE h.codelab_id = ?" + order, id)
        : rows("SELECT " + Rows.HELP + " WHERE h.codelab_id = ? AND h.attendee_id = ?" + order,
        id, actor.id());
    }).map(rows -> {
      JsonObject reply = new JsonObject().put("help", new JsonArray(rows));
      return Input.actor(body).isFacilitator() ? reply.put("groups", HelpGroups.of(rows)) : reply;
    });
  }

  private Future<JsonObject> chatHistory(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    int limit = body.getValue("limit") == null ? 100 : Input.integer(body, "limit", 1, 500);
    String columns = """
      SELECT id, codelab_id AS codelabId, lower(sender_role) AS senderRole, sender_id AS senderId,
        sender_name AS senderName, direct_attendee_id IS NOT NULL AS direct, direct_attendee_id AS attendeeId,
        text, created_at AS at, rowid AS position FROM chat_messages""";
    return access(actor, id).compose(access -> {
      access.requireParticipant();
      String visible = access.isFacilitator()
        ? " WHERE codelab_id = ?"
        : " WHERE codelab_id = ? AND (direct_attendee_id IS NULL OR direct_attendee_id = ?)";
      String sql = "SELECT * FROM (" + columns + visible + " ORDER BY created_at DESC, rowid DESC LIMIT ?) "
        + "ORDER BY position";
      return access.isFacilitator() ? rows(sql, id, limit) : rows(sql, id, actor.id(), limit);
    }).map(rows -> new JsonObject().put("messages", new JsonArray(rows.stream()
      .map(row -> {
        row.remove("position");
        return row.put("direct", row.getInteger("direct") == 1);
      }).toList())));
  }

  private Future<JsonObject> listAnnouncements(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> {
      access.requireParticipant();
      return rows("SELECT " + Rows.ANNOUNCEMENT
        + " WHERE n.codelab_id = ? ORDER BY n.pinned DESC, n.created_at DESC", id);
    }).map(rows -> new JsonObject().put("announcements", new JsonArray(rows.stream()
      .map(row -> row.put("pinned", row.getInteger("pinned") == 1)).toList())));
  }

  private Future<JsonObject> eventsSince(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    long after = body.getValue("after") == null ? 0L : Input.whole(body, "after", 0, Long.MAX_VALUE);
    int limit = body.getValue("limit") == null ? 500 : Input.integer(body, "limit", 1, 1000);
    String clientEpoch = body.getString("epoch");
    return access(actor, id).compose(access -> {
      access.requireParticipant();
      return one("SELECT last_seq AS latest FROM codelabs WHERE id = ?", id).compose(row -> {
        long latest = row.getLong("latest");
        JsonObject answer = new JsonObject().put("epoch", epoch).put("latestSeq", latest);
        meters.replayRequests.increment();
        if ((clientEpoch != null && !clientEpoch.equals(epoch)) || after > latest || latest - after > replayWindow) {
          meters.replayResets.increment();
          return Future.succeededFuture(answer.put("reset", true).put("events", new JsonArray()));
        }
        String visible = access.isFacilitator() ? "" : " AND (stream = 'public' OR attendee_id = ?)";
        String sql = "SELECT seq, stream, attendee_id AS attendeeId, stream_seq AS streamSeq, type, event_id AS eventId, "
          + "created_at AS at, payload FROM events WHERE codelab_id = ? AND seq > ?" + visible + " ORDER BY seq LIMIT ?";
        Future<List<JsonObject>> events = access.isFacilitator()
          ? rows(sql, id, after, limit + 1)
          : rows(sql, id, after, actor.id(), limit + 1);
        return events.map(list -> {
          JsonArray out = new JsonArray();
          list.stream().limit(limit).forEach(e -> out.add(Events.json(id, e.getLong("seq"), epoch,
            e.getString("stream"), e.getString("attendeeId"), e.getLong("streamSeq"), e.getString("type"),
            e.getString("eventId"), e.getLong("at"), new JsonObject(e.getString("payload")))));
          return answer.put("reset", false).put("events", out).put("more", list.size() > limit);
        });
      });
    });
  }

  private Future<JsonObject> listSubmissions(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> {
      access.requireParticipant();
      String sql = "SELECT " + Rows.SUBMISSION + " WHERE s.codelab_id = ?";
      return access.isFacilitator()
        ? rows(sql + " ORDER BY s.created_at DESC", id)
        : rows(sql + " AND s.attendee_id = ? ORDER BY s.created_at DESC", id, actor.id());
    }).map(rows -> new JsonObject().put("submissions", new JsonArray(rows)));
  }

  /** Advisory: the writer checks the limits again when the submission is recorded. */
  private Future<JsonObject> submissionAllowance(JsonObject body) {
    Actor actor = Input.actor(body);
    return access(actor, body.getString("codelabId")).compose(access -> {
      access.requireAttendee();
      return one(Rows.SUBMISSION_USAGE, actor.id());
    }).map(used -> {
      if (used.getInteger("files") >= uploadLimits.maxSubmissions()) {
        throw FileCommands.tooMany(uploadLimits);
      }
      return new JsonObject().put("submissions", used.getInteger("files")).put("bytes", used.getLong("bytes"))
        .put("maxSubmissions", uploadLimits.maxSubmissions()).put("maxBytes", uploadLimits.maxAttendeeBytes());
    });
  }

  private Future<JsonObject> listMaterials(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> {
      access.requireParticipant();
      return rows("SELECT " + Rows.MATERIAL + " WHERE m.codelab_id = ? ORDER BY m.created_at", id);
    }).map(rows -> new JsonObject().put("materials", new JsonArray(rows)));
  }

  /** Materials in the order they were added; an import adds them in one transaction, so rowid breaks the tie. */
  private Future<JsonObject> exportCodelab(JsonObject body) {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> {
      access.requireFacilitator();
      Future<JsonObject> settings = one("SELECT title, summary, author, categories, visibility, join_code AS joinCode, "
        + "completion FROM codelabs WHERE id = ?", id);
      Future<List<JsonObject>> steps = rows("SELECT title, markdown, duration_minutes AS durationMinutes FROM steps "
        + "WHERE codelab_id = ? ORDER BY position", id);
      Future<List<JsonObject>> materials = rows("SELECT id, kind, title, url, file_name AS fileName, "
        + "content_type AS contentType, storage_key AS storageKey FROM materials WHERE codelab_id = ? "
        + "ORDER BY created_at, rowid", id);
      Future<List<JsonObject>> quizzes = rows("SELECT " + QuizCommands.QUIZ_COLUMNS + " WHERE codelab_id = ? "
        + "ORDER BY position", id);
      return Future.all(settings, steps, materials, quizzes).map(done -> settings.result()
        .put("categories", new JsonArray(settings.result().getString("categories")))
        .put("completion", Completion.Rules.of(settings.result().getString("completion")).toJson())
        .put("codelabId", id)
        .put("steps", new JsonArray(steps.result()))
        .put("materials", new JsonArray(materials.result()))
        .put("quizzes", new JsonArray(quizzes.result().stream()
          .map(quiz -> quiz.put("questions", new JsonArray(quiz.getString("questions")))).toList())));
    });
  }

  /**
   * A stored file the actor may download: a submission by its attendee or the codelab's
   * facilitators, a material by anyone in the codelab. Someone else's submission is "not found".
   */
  private Future<JsonObject> locateFile(JsonObject body) {
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    String id = body.getString("id");
    boolean submission = "submission".equals(body.getString("kind"));
    return access(actor, codelabId).compose(access -> {
      access.requireParticipant();
      String columns = "SELECT kind, file_name AS fileName, content_type AS contentType, size_bytes AS sizeBytes, "
        + "sha256, storage_key AS storageKey FROM ";
      if (!submission) {
        return one(columns + "materials WHERE id = ? AND codelab_id = ? AND storage_key IS NOT NULL", id, codelabId);
      }
      return access.isFacilitator()
        ? one(columns + "submissions WHERE id = ? AND codelab_id = ? AND storage_key IS NOT NULL", id, codelabId)
        : one(columns + "submissions WHERE id = ? AND codelab_id = ? AND attendee_id = ? AND storage_key IS NOT NULL",
        id, codelabId, actor.id());
    }).map(row -> required(row, "No file for " + id));
  }

  private Future<JsonObject> dashboard(JsonObject body) {
    Actor actor = Input.facilitator(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> {
      access.requireFacilitator();
      Future<List<JsonObject>> steps = rows("""
        SELECT s.position, s.title, s.duration_minutes AS durationMinutes,
          (SELECT count(*) FROM attendees a WHERE a.codelab_id = s.codelab_id AND a.current_step = s.position) AS current,
          (SELECT count(*) FROM step_completions sc JOIN attendees a ON a.id = sc.attendee_id
            WHERE a.codelab_id = s.codelab_id AND sc.step = s.position) AS completed
        FROM steps s WHERE s.codelab_id = ? ORDER BY s.position""", id);
      Future<List<JsonObject>> durations = rows("""
        SELECT sc.step, sc.duration_ms AS ms FROM step_completions sc JOIN attendees a ON a.id = sc.attendee_id
        WHERE a.codelab_id = ? AND sc.duration_ms IS NOT NULL ORDER BY sc.step, sc.duration_ms""", id);
      Future<List<JsonObject>> attendees = rows("""
        SELECT a.id, a.nickname, a.current_step AS currentStep, a.step_started_at AS stepStartedAt,
          (SELECT count(*) FROM step_completions sc WHERE sc.attendee_id = a.id) AS completedCount,
          EXISTS (SELECT 1 FROM presence p WHERE p.attendee_id = a.id AND p.sockets > 0) AS online,
          EXISTS (SELECT 1 FROM step_completions sc WHERE sc.attendee_id = a.id AND sc.step = a.current_step)
            AS currentDone,
          (SELECT h.status FROM help_requests h WHERE h.attendee_id = a.id AND h.status <> 'resolved' LIMIT 1) AS help
        FROM attendees a WHERE a.codelab_id = ? ORDER BY a.joined_at""", id);
      return Future.all(steps, durations, attendees).map(done -> Dashboard.compute(id, System.currentTimeMillis(),
        steps.result(), durations.result(), attendees.result()));
    });
  }

  /** Attendees read their own state; facilitators name the attendee. */
  private Future<JsonObject> completion(JsonObject body) {
    Actor actor = Input.actor(body);
    String id = body.getString("codelabId");
    return access(actor, id).compose(access -> {
      String attendeeId;
      if (access.isFacilitator()) {
        attendeeId = Input.text(body, "attendeeId", 1, 64);
      } else {
        access.requireAttendee();
        attendeeId = actor.id();
      }
      Future<JsonObject> facts = one(Completion.FACTS, attendeeId, id);
      Future<List<JsonObject>> quizzes = rows(Completion.QUIZ_SCORES, attendeeId, attendeeId, id);
      return Future.all(facts, quizzes).map(done -> Completion.state(
        required(facts.result(), "No attendee " + attendeeId + " in this codelab"), quizzes.result()));
    });
  }

  private static JsonObject codelab(JsonObject row) {
    return row.put("categories", new JsonArray(row.getString("categories")))
      .put("joinsClosed", row.getInteger("joinsClosed") == 1)
      .put("archived", row.getInteger("archived") == 1)
      .put("completion", Completion.Rules.of(row.getString("completion")).toJson());
  }

  Future<Access> access(Actor actor, String codelabId) {
    return one(Access.SQL, Access.params(actor, codelabId)).map(row -> {
      if (row == null) {
        throw ErrorCode.NOT_FOUND.failure("No codelab " + codelabId);
      }
      return Access.of(row.getString("role"));
    });
  }

  static JsonObject required(JsonObject row, String missing) {
    if (row == null) {
      throw ErrorCode.NOT_FOUND.failure(missing);
    }
    return row;
  }

  Future<JsonObject> one(String sql, Object... args) {
    return rows(sql, args).map(rows -> rows.isEmpty() ? null : rows.get(0));
  }

  Future<List<JsonObject>> rows(String sql, Object... args) {
    return pool.preparedQuery(sql).execute(Tuple.from(args)).map(rowSet -> {
      List<JsonObject> rows = new ArrayList<>(rowSet.size());
      for (Row row : rowSet) {
        rows.add(row.toJson());
      }
      return rows;
    });
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The audit log for the instance admin, newest first. Pages are cut at an entry id (keyset), so
 * entries written while someone pages never shift or repeat what the next page holds.
 */
final class AuditQueries {
  static final int MAX_PAGE = 500;
  private static final int DEFAULT_PAGE = 50;

  private final ReadQueries reads;

  AuditQueries(ReadQueries reads) {
    this.reads = reads;
  }

  void addTo(Map<Address, Function<JsonObject, Future<JsonObject>>> queries) {
    queries.put(Address.AUDIT_LIST, this::list);
  }

  /** Admin status is read here, in the database, never taken from the caller. */
  private Future<JsonObject> list(JsonObject body) {
    Actor actor = Input.facilitator(body);
    int limit = body.getValue("limit") == null ? DEFAULT_PAGE : Input.integer(body, "limit", 1, MAX_PAGE);
    StringBuilder sql = new StringBuilder("""
      SELECT a.id, a.at, a.actor_role AS actorRole, a.actor_id AS actorId,
        coalesce(f.display_name, t.nickname, a.actor_id) AS actorName, a.action, a.codelab_id AS codelabId,
        c.title AS codelabTitle, a.source, a.detail
      FROM audit_log a
      LEFT JOIN facilitators f ON a.actor_role = 'FACILITATOR' AND f.id = a.actor_id
      LEFT JOIN attendees t ON a.actor_role = 'ATTENDEE' AND t.id = a.actor_id
      LEFT JOIN codelabs c ON c.id = a.codelab_id
      WHERE 1 = 1""");
    List<Object> args = new ArrayList<>();
    if (body.getValue("before") != null) {
      sql.append(" AND a.id < ?");
      args.add(Input.whole(body, "before", 1, Long.MAX_VALUE));
    }
    String who = Input.optionalText(body, "actorName", 100, null);
    if (who != null && !who.isEmpty()) {
      sql.append(" AND a.actor_id IN (SELECT ? UNION ALL SELECT id FROM facilitators WHERE username = ? "
        + "OR display_name = ? UNION ALL SELECT id FROM attendees WHERE nickname = ?)");
      args.addAll(List.of(who, who, who, who));
    }
    String codelab = Input.optionalText(body, "codelab", 64, null);
    if (codelab != null && !codelab.isEmpty()) {
      sql.append(" AND a.codelab_id IN (SELECT ? UNION ALL SELECT id FROM codelabs WHERE short_code = ?)");
      args.addAll(List.of(codelab, codelab));
    }
    String action = Input.optionalText(body, "action", 64, null);
    if (action != null && action.endsWith(".")) {
      sql.append(" AND a.action >= ? AND a.action < ?");
      args.addAll(List.of(action, action.substring(0, action.length() - 1) + "/"));
    } else if (action != null && !action.isEmpty()) {
      sql.append(" AND a.action = ?");
      args.add(action);
    }
    if (body.getValue("from") != null) {
      sql.append(" AND a.at >= ?");
      args.add(Input.whole(body, "from", 0, Long.MAX_VALUE));
    }
    if (body.getValue("to") != null) {
      sql.append(" AND a.at < ?");
      args.add(Input.whole(body, "to", 0, Long.MAX_VALUE));
    }
    sql.append(" ORDER BY a.id DESC LIMIT ?");
    args.add(limit);
    return reads.one("SELECT 1 AS admin FROM facilitators WHERE id = ? AND is_admin = 1 AND disabled_at IS NULL",
        actor.id())
      .compose(admin -> {
        if (admin == null) {
          throw ErrorCode.FORBIDDEN.failure("Only the instance admin may read the audit log");
        }
        return reads.rows(sql.toString(), args.toArray());
      })
      .map(rows -> {
        JsonArray entries = new JsonArray();
        rows.forEach(row -> entries.add(row.put("detail", new JsonObject(row.getString("detail")))));
        Object next = rows.size() == limit ? rows.get(rows.size() - 1).getLong("id") : null;
        return new JsonObject().put("entries", entries).put("next", next);
      });
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.EventType;
import io.codelabs.raffle.RaffleDraw;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Raffles: winners drawn by the writer from a recorded seed, never the same attendee twice in a codelab. */
final class RaffleCommands {
  private static final int MAX_WINNERS = 50;
  /** Attendees of a codelab who have not won in it yet; params codelab id. */
  private static final String NOT_YET_WON = """
    SELECT a.id, a.nickname FROM attendees a WHERE a.codelab_id = ?
      AND NOT EXISTS (SELECT 1 FROM raffle_winners w WHERE w.codelab_id = a.codelab_id AND w.attendee_id = a.id)""";
  private static final String COMPLETED_NOT_YET_WON = NOT_YET_WON
    + " AND EXISTS (SELECT 1 FROM completions k WHERE k.attendee_id = a.id)";

  private RaffleCommands() {
  }

  static void addTo(Map<Address, Writer.Command> commands) {
    commands.put(Address.RAFFLE_DRAW, RaffleCommands::draw);
  }

  static JsonObject draw(Tx tx, JsonObject body) throws SQLException {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    tx.access(actor, codelabId).requireFacilitator();
    int requested = Input.integer(body, "winners", 1, MAX_WINNERS);
    String among = Input.optionalText(body, "among", 20, "completed");
    if (!among.equals("completed") && !among.equals("all")) {
      throw ErrorCode.INVALID.failure("among must be completed or all");
    }
    String seed = body.getValue("seed") == null ? RaffleDraw.newSeed() : seed(body);
    List<JsonObject> pool = tx.all(among.equals("completed") ? COMPLETED_NOT_YET_WON : NOT_YET_WON, codelabId);
    if (pool.isEmpty()) {
      throw ErrorCode.CONFLICT.failure(among.equals("completed")
        ? "Nobody is left to draw: no attendee who completed the codelab is without a win"
        : "Nobody is left to draw: every attendee of the codelab has already won");
    }
    Map<String, String> nicknames = pool.stream()
      .collect(Collectors.toMap(row -> row.getString("id"), row -> row.getString("nickname")));
    List<String> winners = RaffleDraw.draw(seed, List.copyOf(nicknames.keySet()), requested);
    String raffleId = tx.newId();
    tx.update("INSERT INTO raffles (id, codelab_id, seed, among, requested, eligible, drawn_at, drawn_by) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", raffleId, codelabId, seed, among, requested, pool.size(), tx.now, actor.id());
    for (int place = 0; place < winners.size(); place++) {
      tx.update("INSERT INTO raffle_winners (raffle_id, place, codelab_id, attendee_id) VALUES (?, ?, ?, ?)",
        raffleId, place, codelabId, winners.get(place));
    }
    JsonObject raffle = raffle(raffleId, seed, among, tx.now, requested, pool.size(),
      winners.stream().map(id -> new JsonObject().put("attendeeId", id).put("nickname", nicknames.get(id))).toList());
    tx.audit(actor, "raffle.draw", codelabId, new JsonObject().put("raffleId", raffleId).put("seed", seed)
      .put("among", among).put("eligible", pool.size()).put("winners", new JsonArray(winners)));
    long seq = tx.emit(EventType.RAFFLE_DRAWN).in(codelabId).by(actor).toEveryone().with(new JsonObject()
      .put("raffleId", raffleId)
      .put("winners", new JsonArray(winners.stream().map(id -> new JsonObject().put("nickname", nicknames.get(id)))
        .toList()))
      .put("eligible", pool.size())
      .put("seed", seed));
    return tx.eventful(seq, false).put("raffle", raffle);
  }

  static JsonObject raffle(String id, String seed, String among, long drawnAt, int requested, int eligible,
                           List<JsonObject> winners) {
    return new JsonObject().put("id", id).put("seed", seed).put("among", among).put("drawnAt", drawnAt)
      .put("requested", requested).put("eligible", eligible).put("winners", new JsonArray(winners));
  }

  private static String seed(JsonObject body) {
    String seed = Input.text(body, "seed", 2, 2 * RaffleDraw.SEED_BYTES).toLowerCase(Locale.ROOT);
    if (!seed.matches("([0-9a-f]{2})+")) {
      throw ErrorCode.INVALID.failure("seed must be hexadecimal, whole bytes, at most " + RaffleDraw.SEED_BYTES + " bytes");
    }
    return seed;
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.credentials.InstanceKey;
import io.codelabs.credentials.OpenBadge;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Reads of certificates, their signed credentials and raffles; signing runs on a worker, off the event loop. */
final class CertificateQueries {
  /** Credentials being signed at once on the writer's node, where CPU is worth most; past it 503. */
  private static final int MAX_SIGNING = 8;

  private final Vertx vertx;
  private final Pool pool;
  private final InstanceKey key;
  private final String issuerName;
  private final AtomicInteger signing = new AtomicInteger();

  CertificateQueries(Vertx vertx, Pool pool, InstanceKey key, String issuerName) {
    this.vertx = vertx;
    this.pool = pool;
    this.key = key;
    this.issuerName = issuerName;
  }

  Map<Address, Function<JsonObject, Future<JsonObject>>> all() {
    Map<Address, Function<JsonObject, Future<JsonObject>>> queries = new EnumMap<>(Address.class);
    queries.put(Address.CERTIFICATE_GET, this::certificate);
    queries.put(Address.CERTIFICATE_LIST, this::certificates);
    queries.put(Address.CERTIFICATE_CREDENTIAL, this::credential);
    queries.put(Address.CREDENTIAL_KEYS, body -> Future.succeededFuture(new JsonObject()
      .put("jwks", key.publicJwks()).put("jwk", key.publicJwk())));
    queries.put(Address.RAFFLE_LIST, this::raffles);
    return queries;
  }

  /** By id for anyone; without an id the actor's own, which only an attendee of the codelab has. */
  private Future<JsonObject> certificate(JsonObject body) {
    String certificateId = body.getString("certificateId");
    if (certificateId != null) {
      return byId(certificateId).map(row -> new JsonObject().put("certificate", Certificates.publicView(row)));
    }
    Actor actor = Input.actor(body);
    String codelabId = body.getString("codelabId");
    return access(actor, codelabId).compose(access -> {
      access.requireAttendee();
      return rows(Certificates.SELECT + " WHERE c.attendee_id = ? AND c.codelab_id = ?", actor.id(), codelabId);
    }).map(rows -> {
      if (rows.isEmpty()) {
        throw ErrorCode.NOT_FOUND.failure("You have no certificate for this codelab yet");
      }
      return new JsonObject().put("certificate", Certificates.withAttendee(rows.get(0)));
    });
  }

  private Future<JsonObject> certificates(JsonObject body) {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    return access(actor, codelabId).compose(access -> {
      access.requireFacilitator();
      return rows(Certificates.SELECT + " WHERE c.codelab_id = ? ORDER BY c.issued_at", codelabId);
    }).map(rows -> new JsonObject().put("certificates",
      new JsonArray(rows.stream().map(Certificates::withAttendee).toList())));
  }

  /**
   * Revoked certificates keep their credential: a verifier learns the revocation from the status URL, as it would
   * for a copy saved before.
   */
  private Future<JsonObject> credential(JsonObject body) {
    String baseUrl = body.getString("baseUrl");
    return byId(body.getString("certificateId")).compose(row -> {
      JsonObject credential = OpenBadge.credential(baseUrl, issuerName, Certificates.award(row));
      if (signing.incrementAndGet() > MAX_SIGNING) {
        signing.decrementAndGet();
        return Future.failedFuture(ErrorCode.BUSY.failure("Too many credentials being signed at once, retry shortly"));
      }
      return vertx.executeBlocking(() -> key.sign(OpenBadge.jwtPayload(credential)), false)
        .onComplete(done -> signing.decrementAndGet())
        .map(jwt -> new JsonObject().put("credential", credential).put("jwt", jwt));
    });
  }

  private Future<JsonObject> raffles(JsonObject body) {
    Actor actor = Input.facilitator(body);
    String codelabId = body.getString("codelabId");
    return access(actor, codelabId).compose(access -> {
      access.requireFacilitator();
      return rows("""
        SELECT r.id, r.seed, r.among, r.drawn_at AS drawnAt, r.requested, r.eligible,
          (SELECT json_group_array(json_object('attendeeId', w.attendee_id, 'nickname', a.nickname) ORDER BY w.place)
            FROM raffle_winners w JOIN attendees a ON a.id = w.attendee_id WHERE w.raffle_id = r.id) AS winners
        FROM raffles r WHERE r.codelab_id = ? ORDER BY r.drawn_at DESC, r.id DESC""", codelabId);
    }).map(rows -> new JsonObject().put("raffles", new JsonArray(rows.stream().map(row -> RaffleCommands.raffle(
      row.getString("id"), row.getString("seed"), row.getString("among"), row.getLong("drawnAt"),
      row.getInteger("requested"), row.getInteger("eligible"),
      new JsonArray(row.getString("winners")).stream().map(JsonObject.class::cast).toList())).toList())));
  }

  private Future<JsonObject> byId(String certificateId) {
    return rows(Certificates.SELECT + " WHERE c.id = ?", certificateId).map(rows -> {
      if (rows.isEmpty()) {
        throw ErrorCode.NOT_FOUND.failure("No certificate " + certificateId);
      }
      return rows.get(0);
    });
  }

  private Future<Access> access(Actor actor, String codelabId) {
    return rows(Access.SQL, Access.params(actor, codelabId)).map(rows -> {
      if (rows.isEmpty()) {
        throw ErrorCode.NOT_FOUND.failure("No codelab " + codelabId);
      }
      return Access.of(rows.get(0).getString("role"));
    });
  }

  private Future<List<JsonObject>> rows(String sql, Object... args) {
    return pool.preparedQuery(sql).execute(Tuple.from(args)).map(rowSet -> {
      List<JsonObject> rows = new ArrayList<>(rowSet.size());
      for (Row row : rowSet) {
        rows.add(row.toJson());
      }
      return rows;
    });
  }
}

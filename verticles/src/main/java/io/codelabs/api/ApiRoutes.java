package io.codelabs.api;

import io.codelabs.api.Auth.Need;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.AttemptScope;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.codelabs.tokens.Passwords;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One handler per operation of the contract: authenticate, translate to a bus request, answer. */
final class ApiRoutes {
  /**
   * Verified against for unknown usernames, so a failed sign-in costs the same whether or not the
   * account exists. The hash of a random value nobody kept.
   */
  private static final String DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$RmIBYYfikyd/yzdfCOYc1A$bMGRjuqFDzBw2tKH3Ta1wWgvwK8LiA/kRm83LtTe2Ps";

  private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
  private static final long UPLOAD_STATUS_TIMEOUT_MS = 3_000;
  private static final long PURGE_TIMEOUT_MS = 60_000;

  private final HttpApiVerticle api;
  private final BusClient bus;

  ApiRoutes(HttpApiVerticle api) {
    this.api = api;
    this.bus = api.bus();
  }

  void mount(RouterBuilder builder) {
    on(builder, "health", ctx -> HttpApiVerticle.json(ctx, 200, new JsonObject().put("status", "UP")));
    on(builder, "ready", this::ready);
    on(builder, "busCatalogue", ctx -> HttpApiVerticle.json(ctx, 200,
      new JsonObject().put("addresses", HttpApiVerticle.catalogue())));
    on(builder, "realtime", ctx -> HttpApiVerticle.json(ctx, 200, new JsonObject()
      .put("url", api.realtimeUrl(ctx)).put("protocol", "vertx-eventbus-bridge over SockJS")));
    on(builder, "login", this::login);
    on(builder, "logout", this::logout);
    on(builder, "whoAmI", ctx -> respond(ctx, 200, api.auth().compose(auth -> auth.whoAmI(ctx))));
    on(builder, "changePassword", this::changePassword);
    on(builder, "listFacilitators", ctx -> respond(ctx, 200, caller(ctx, Need.ADMIN)
      .compose(actor -> bus.request(Address.FACILITATOR_LIST, actor, new JsonObject()))));
    on(builder, "createFacilitator", this::createFacilitator);
    on(builder, "updateFacilitator", ctx -> respond(ctx, 200, caller(ctx, Need.ADMIN)
      .compose(actor -> bus.request(Address.FACILITATOR_DISABLE, actor, requestBody(ctx).put("source", api.source(ctx))))));
    on(builder, "resetFacilitatorPassword", ctx -> {
      JsonObject body = body(ctx);
      respond(ctx, 200, caller(ctx, Need.ADMIN).compose(actor -> api.hash(() -> Passwords.hash(body.getString("password")))
        .compose(hash -> bus.request(Address.FACILITATOR_PASSWORD, actor, new JsonObject()
          .put("facilitatorId", ctx.pathParam("facilitatorId")).put("passwordHash", hash).put("source", api.source(ctx))))
        .map(ApiRoutes::withoutCutoff)));
    });
    on(builder, "startBackup", ctx -> respond(ctx, 202, caller(ctx, Need.ADMIN)
      .compose(actor -> bus.request(Address.BACKUP_START, actor, new JsonObject()))));
    on(builder, "listBackups", ctx -> respond(ctx, 200, caller(ctx, Need.ADMIN)
      .compose(actor -> bus.request(Address.BACKUP_LIST, actor, new JsonObject()))));
    on(builder, "listCoreNodes", ctx -> respond(ctx, 200, caller(ctx, Need.ADMIN)
      .compose(actor -> bus.request(Address.CORE_MEMBERS_LIST, actor, new JsonObject()))));
    on(builder, "changeCoreNodes", ctx -> respond(ctx, 200, caller(ctx, Need.ADMIN)
      .compose(actor -> bus.request(Address.CORE_MEMBERS_CHANGE, actor, requestBody(ctx).put("source", api.source(ctx)),
        BusClient.MEMBERSHIP_TIMEOUT_MS))));
    on(builder, "previewMarkdown", ctx -> respond(ctx, 200, caller(ctx, Need.FACILITATOR)
      .compose(actor -> api.render(body(ctx).getString("markdown")))
      .map(html -> new JsonObject().put("html", html))));

    on(builder, "openShortLink", ctx -> bus.request(Address.CODELAB_BY_SHORT_CODE,
        new JsonObject().put("shortCode", ctx.pathParam("shortCode").toLowerCase(Locale.ROOT)))
      .onComplete(found -> ctx.redirect("/c/" + found.getString("codelabId")), failure -> {
        if (notFound(failure) && AppPages.wanted(ctx)) {
          AppPages.notFound(ctx);
        } else {
          Problems.send(ctx, failure);
        }
      }));
    on(builder, "listCodelabs", ctx -> respond(ctx, 200, caller(ctx, Need.FACILITATOR)
      .compose(actor -> bus.request(Address.CODELAB_LIST, actor, new JsonObject()))));
    on(builder, "createCodelab", this::createCodelab);
    on(builder, "getCodelab", ctx -> respond(ctx, 200, optionalCaller(ctx)
      .compose(actor -> codelab(actor, ctx.pathParam("codelabId")))));
    on(builder, "updateCodelab", ctx -> changeCodelab(ctx, Address.CODELAB_UPDATE, 200, (actor, body) ->
      Future.succeededFuture(body)));
    on(builder, "deleteCodelab", ctx -> caller(ctx, Need.FACILITATOR)
      .compose(actor -> bus.request(Address.CODELAB_DELETE, actor, requestBody(ctx))
        .compose(deleted -> purgeFiles(actor, deleted.getString("codelabId"))))
      .onComplete(done -> ctx.response().setStatusCode(204).end(), failure -> Problems.send(ctx, failure)));
    on(builder, "copyCodelab", ctx -> respond(ctx, 201, caller(ctx, Need.FACILITATOR)
      .compose(actor -> bus.request(Address.CODELAB_COPY, actor, requestBody(ctx))
        .compose(copy -> codelab(actor, copy.getString("codelabId"))))));
    on(builder, "replaceSteps", ctx -> changeCodelab(ctx, Address.STEPS_REPLACE, 200, (actor, body) ->
      api.renderSteps(body.getJsonArray("steps")).map(steps -> body.put("steps", steps))));
    on(builder, "updateStep", ctx -> changeCodelab(ctx, Address.STEP_UPDATE, 200, (actor, body) ->
      api.render(body.getString("markdown")).map(html -> body
        .put("html", html)
        .put("durationMinutes", body.getInteger("durationMinutes", 5)))));
    on(builder, "addAssistant", ctx -> respond(ctx, 201, caller(ctx, Need.FACILITATOR)
      .compose(actor -> bus.request(Address.ASSISTANT_ADD, actor, requestBody(ctx)))));
    on(builder, "removeAssistant", ctx -> caller(ctx, Need.FACILITATOR)
      .compose(actor -> bus.request(Address.ASSISTANT_REMOVE, actor, requestBody(ctx)))
      .onComplete(done -> ctx.response().setStatusCode(204).end(), failure -> Problems.send(ctx, failure)));

    on(builder, "joinCodelab", this::join);
    on(builder, "listAttendees", ctx -> forward(ctx, Need.ANYONE, Address.ATTENDEE_LIST, 200));
    on(builder, "reportProgress", ctx -> forward(ctx, Need.ATTENDEE, Address.PROGRESS_REPORT, 200));
    on(builder, "requestHelp", ctx -> created(ctx, Need.ATTENDEE, Address.HELP_REQUEST));
    on(builder, "listHelp", ctx -> forward(ctx, Need.ANYONE, Address.HELP_LIST, 200));
    on(builder, "claimHelp", ctx -> forward(ctx, Need.FACILITATOR, Address.HELP_CLAIM, 200));
    on(builder, "resolveHelp", ctx -> forward(ctx, Need.FACILITATOR, Address.HELP_RESOLVE, 200));
    on(builder, "cancelHelp", ctx -> forward(ctx, Need.ATTENDEE, Address.HELP_CANCEL, 200));
    on(builder, "assignHelp", ctx -> forward(ctx, Need.FACILITATOR, Address.HELP_ASSIGN, 200));
    on(builder, "getPacing", ctx -> forward(ctx, Need.ANYONE, Address.PACING_GET, 200));
    on(builder, "holdAtStep", ctx -> forward(ctx, Need.FACILITATOR, Address.PACING_HOLD, 200));
    on(builder, "releaseHold", ctx -> forward(ctx, Need.FACILITATOR, Address.PACING_RELEASE, 200));
    on(builder, "sendToStep", ctx -> forward(ctx, Need.FACILITATOR, Address.PACING_SEND, 200));
    on(builder, "startPoll", ctx -> forward(ctx, Need.FACILITATOR, Address.POLL_START, 201));
    on(builder, "answerPoll", ctx -> forward(ctx, Need.ATTENDEE, Address.POLL_ANSWER, 200));
    on(builder, "closePoll", ctx -> forward(ctx, Need.FACILITATOR, Address.POLL_CLOSE, 200));
    on(builder, "setKnownIssue", ctx -> forward(ctx, Need.FACILITATOR, Address.KNOWN_ISSUE_SET, 200));
    on(builder, "sendChat", ctx -> created(ctx, Need.ANYONE, Address.CHAT_SEND));
    on(builder, "chatHistory", ctx -> forward(ctx, Need.ANYONE, Address.CHAT_HISTORY, 200));
    on(builder, "postAnnouncement", ctx -> created(ctx, Need.FACILITATOR, Address.ANNOUNCEMENT_POST));
    on(builder, "listAnnouncements", ctx -> forward(ctx, Need.ANYONE, Address.ANNOUNCEMENT_LIST, 200));
    on(builder, "pinAnnouncement", ctx -> forward(ctx, Need.FACILITATOR, Address.ANNOUNCEMENT_PIN, 200));
    on(builder, "eventsSince", ctx -> forward(ctx, Need.ANYONE, Address.EVENTS_SINCE, 200));
    on(builder, "getCompletion", ctx -> forward(ctx, Need.ANYONE, Address.COMPLETION_GET, 200));
    on(builder, "listQuizzes", ctx -> forward(ctx, Need.ANYONE, Address.QUIZ_LIST, 200));
    on(builder, "replaceQuizzes", ctx -> {
      JsonObject body = requestBody(ctx);
      respond(ctx, 200, caller(ctx, Need.FACILITATOR).compose(actor -> api.renderQuizzes(body.getJsonArray("quizzes"))
        .compose(quizzes -> bus.request(Address.QUIZZES_REPLACE, actor, body.put("quizzes", quizzes)))));
    });
    on(builder, "submitQuizAttempt", ctx -> created(ctx, Need.ATTENDEE, Address.QUIZ_SUBMIT));
    on(builder, "listQuizAttempts", ctx -> forward(ctx, Need.ANYONE, Address.QUIZ_ATTEMPTS, 200));
    on(builder, "giveFeedback", ctx -> forward(ctx, Need.ATTENDEE, Address.FEEDBACK_GIVE, 200));
    on(builder, "getFeedback", ctx -> forward(ctx, Need.ANYONE, Address.FEEDBACK_GET, 200));
    on(builder, "getResults", ctx -> forward(ctx, Need.FACILITATOR, Address.RESULTS_GET, 200));
    on(builder, "exportResults", this::exportResults);
  }

  /** One row per attendee; a UTF-8 byte order mark first, so spreadsheets read nicknames in any script right. */
  private void exportResults(RoutingContext ctx) {
    caller(ctx, Need.FACILITATOR).compose(actor -> bus.request(Address.RESULTS_GET, actor, requestBody(ctx)))
      .onComplete(results -> ctx.response().setStatusCode(200)
          .putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"results.csv\"")
          .end("\uFEFF" + Csv.table(ResultsTable.rows(results))),
        failure -> Problems.send(ctx, failure));
  }

  /** The codelab is gone either way; files a node could not delete are reported for the operator. */
  private Future<Void> purgeFiles(Actor actor, String codelabId) {
    return bus.requestLocal(Address.UPLOAD_PURGE, actor, new JsonObject().put("codelabId", codelabId), PURGE_TIMEOUT_MS)
      .onFailure(failure -> LOG.warn("Stored files of deleted codelab {} were not deleted: {}", codelabId,
        failure.getMessage()))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  /**
   * Anyone learns whether the node is ready; only the instance admin sees its details. Uploads are
   * reported, not required: without a scanner or uploads verticle the rest still works.
   */
  private void ready(RoutingContext ctx) {
    if (!api.ready()) {
      Problems.send(ctx, ErrorCode.BUSY, "Waiting for the persistence verticle");
      return;
    }
    JsonObject ready = new JsonObject().put("status", "READY");
    respond(ctx, 200, bus.request(Address.WRITER_STATUS, new JsonObject()).compose(writer -> api.auth()
      .compose(auth -> auth.isAdmin(ctx))
      .compose(admin -> !admin ? Future.succeededFuture(ready) : bus.requestLocal(Address.UPLOAD_STATUS, null,
          new JsonObject(), UPLOAD_STATUS_TIMEOUT_MS)
        .otherwise(failure -> new JsonObject().put("available", false).put("detail", failure.getMessage()))
        .map(files -> ready.put("node", api.seat(writer)).put("writer", writer).put("uploads", files)))));
  }

  /**
   * The account key is the normalised username whether or not such an account exists, and unknown
   * usernames are verified against a hash too: every failure looks and takes the same. A disabled
   * account is told so only after its password was right, so the answer reveals nothing to a guesser.
   */
  private void login(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String password = body.getString("password");
    String username = body.getString("username");
    JsonArray attempts = new JsonArray()
      .add(attempt(AttemptScope.SIGN_IN_ACCOUNT, Normalizer.normalize(username.strip(), Normalizer.Form.NFKC)
        .toLowerCase(Locale.ROOT)))
      .add(attempt(AttemptScope.SIGN_IN_SOURCE, api.source(ctx)));
    respond(ctx, 200, api.auth().compose(auth -> throttle(ctx, attempts, null, "Too many failed sign-ins")
      .compose(allowed -> bus.request(Address.FACILITATOR_FIND, new JsonObject().put("username", username))
        .recover(failure -> notFound(failure) ? Future.succeededFuture(null) : Future.failedFuture(failure)))
      .compose(found -> api.hash(() ->
          Passwords.verify(password, found == null ? DUMMY_HASH : found.getString("passwordHash")) && found != null)
        .compose(ok -> {
          if (!ok) {
            return signInFailed(ctx, username, "password", ErrorCode.UNAUTHORISED.failure("Wrong username or password"));
          }
          return succeeded(attempts).compose(cleared -> {
            if (found.getBoolean("disabled")) {
              return signInFailed(ctx, username, "disabled",
                ErrorCode.FORBIDDEN.failure("This account is disabled; ask the instance admin"));
            }
            return bus.request(Address.AUDIT_SIGN_IN, new JsonObject().put("succeeded", true)
              .put("facilitatorId", found.getString("id")).put("source", api.source(ctx)));
          }).map(audited -> {
            Actor actor = Actor.facilitator(found.getString("id"), found.getString("displayName"));
            found.remove("passwordHash");
            return auth.issue(ctx, actor, bearer(body), found.getBoolean("admin")).put("facilitator", found);
          });
        }))));
  }

  /** The caller hears of its failure even when the writer could not record it. */
  private <T> Future<T> signInFailed(RoutingContext ctx, String username, String reason, Throwable failure) {
    return bus.request(Address.AUDIT_SIGN_IN, new JsonObject().put("succeeded", false).put("username", username)
        .put("reason", reason).put("source", api.source(ctx)))
      .onFailure(unrecorded -> LOG.warn("Failed sign-in not audited: {}", unrecorded.getMessage()))
      .transform(recorded -> Future.failedFuture(failure));
  }

  /** Counts the attempt on the writer before any hashing; a locked-out key answers 429 with Retry-After. */
  private Future<Void> throttle(RoutingContext ctx, JsonArray attempts, String codelabId, String what) {
    return bus.request(Address.ATTEMPTS_CHECK, new JsonObject().put("attempts", attempts)
        .put("source", api.source(ctx)).put("codelabId", codelabId))
      .compose(verdict -> {
        if (verdict.getBoolean("allowed")) {
          return Future.succeededFuture();
        }
        long seconds = verdict.getLong("retryAfterSeconds");
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        return Future.failedFuture(ErrorCode.RATE_LIMITED.failure(what + "; retry in " + seconds + " seconds"));
      });
  }

  /** A failed clear only leaves the attempt counted: the caller is in either way. */
  private Future<Void> succeeded(JsonArray attempts) {
    return bus.request(Address.ATTEMPTS_CLEAR, new JsonObject().put("attempts", attempts))
      .onFailure(failure -> LOG.warn("Successful attempt not cleared: {}", failure.getMessage()))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  private static JsonObject attempt(AttemptScope scope, String key) {
    return new JsonObject().put("scope", scope.wire).put("key", key);
  }

  /** Ends the presented sessions everywhere, then clears the cookies; without a token it only clears them. */
  private void logout(RoutingContext ctx) {
    api.auth().compose(auth -> auth.presentedSessions(ctx).compose(sessions -> sessions.isEmpty()
        ? Future.<Void>succeededFuture()
        : bus.request(Address.SESSION_REVOKE, new JsonObject().put("sessions", sessions).put("source", api.source(ctx)))
          .<Void>mapEmpty())
      .onComplete(revoked -> auth.clear(ctx)))
      .onComplete(done -> ctx.response().setStatusCode(204).end(), failure -> Problems.send(ctx, failure));
  }

  /**
   * Needs the current password. Every other session of the account ends; this client gets a fresh
   * token, delivered the way it called (Bearer in the body, else cookie), so it stays signed in.
   */
  private void changePassword(RoutingContext ctx) {
    JsonObject body = body(ctx);
    respond(ctx, 200, api.auth().compose(auth -> auth.caller(ctx, Need.FACILITATOR).compose(actor ->
      bus.request(Address.FACILITATOR_FIND, new JsonObject().put("facilitatorId", actor.id()))
        .compose(found -> api.hash(() -> {
          if (!Passwords.verify(body.getString("currentPassword"), found.getString("passwordHash"))) {
            throw ErrorCode.FORBIDDEN.failure("The current password is wrong");
          }
          return Passwords.hash(body.getString("newPassword"));
        }).compose(hash -> bus.request(Address.FACILITATOR_PASSWORD, actor, new JsonObject()
          .put("facilitatorId", actor.id()).put("passwordHash", hash).put("source", api.source(ctx))))
          .map(changed -> auth.issue(ctx, actor, Auth.usesBearer(ctx), found.getBoolean("admin"))
            .put("facilitator", withoutCutoff(changed)))))));
  }

  private void createFacilitator(RoutingContext ctx) {
    JsonObject body = body(ctx);
    respond(ctx, 201, caller(ctx, Need.ADMIN).compose(actor -> api.hash(() -> Passwords.hash(body.getString("password")))
      .compose(hash -> bus.request(Address.FACILITATOR_CREATE, actor, new JsonObject()
        .put("username", body.getString("username"))
        .put("displayName", body.getString("displayName", body.getString("username")))
        .put("passwordHash", hash).put("source", api.source(ctx))))));
  }

  private static JsonObject withoutCutoff(JsonObject account) {
    account.remove("notBefore");
    return account;
  }

  private void createCodelab(RoutingContext ctx) {
    JsonObject body = body(ctx);
    respond(ctx, 201, caller(ctx, Need.FACILITATOR).compose(actor ->
      api.renderSteps(body.getJsonArray("steps", new JsonArray()))
        .compose(steps -> bus.request(Address.CODELAB_CREATE, actor, body.copy().put("steps", steps)))
        .compose(created -> codelab(actor, created.getString("codelabId")))));
  }

  /** Joins, or resumes when the nickname exists and the personal code matches its hash. */
  private void join(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String codelabId = ctx.pathParam("codelabId");
    JsonObject lookup = new JsonObject().put("codelabId", codelabId).put("nickname", body.getString("nickname").strip());
    Future<JsonObject> joined = api.auth().compose(auth -> resume(ctx, lookup, body).recover(failure -> {
      if (!notFound(failure)) {
        return Future.failedFuture(failure);
      }
      PersonalCodes.requireStrong(body.getString("personalCode"));
      return api.hash(() -> Passwords.hash(body.getString("personalCode")))
        .compose(hash -> bus.request(Address.ATTENDEE_JOIN, lookup.copy()
          .put("codeHash", hash).put("joinCode", body.getString("joinCode")).put("source", api.source(ctx))))
        .map(reply -> reply.getJsonObject("attendee").put("resumed", false))
        .recover(joinFailure -> conflict(joinFailure) ? resume(ctx, lookup, body) : Future.failedFuture(joinFailure));
    }).map(attendee -> {
      Actor actor = Actor.attendee(attendee.getString("id"), codelabId, attendee.getString("nickname"));
      ctx.response().setStatusCode(attendee.getBoolean("resumed") ? 200 : 201);
      return auth.issue(ctx, actor, bearer(body), false).put("attendee", attendee);
    }));
    joined.onComplete(reply -> HttpApiVerticle.json(ctx, ctx.response().getStatusCode(), reply),
      failure -> Problems.send(ctx, failure));
  }

  /** Guesses are counted per attendee (the codelab's nickname, normalised by the writer) and per source. */
  private Future<JsonObject> resume(RoutingContext ctx, JsonObject lookup, JsonObject body) {
    return bus.request(Address.ATTENDEE_FIND, lookup.copy().put("joinCode", body.getString("joinCode")))
      .compose(found -> {
        if (found.getInteger("joinCodeOk") != 1) {
          throw ErrorCode.FORBIDDEN.failure("A valid join code is needed for this codelab");
        }
        String codeHash = (String) found.remove("codeHash");
        found.remove("joinCodeOk");
        JsonArray attempts = new JsonArray()
          .add(attempt(AttemptScope.REJOIN_NICKNAME, found.getString("id")))
          .add(attempt(AttemptScope.REJOIN_SOURCE, api.source(ctx)));
        return throttle(ctx, attempts, found.getString("codelabId"), "Too many wrong personal codes")
          .compose(allowed -> api.hash(() -> Passwords.verify(body.getString("personalCode"), codeHash)))
          .compose(ok -> {
            if (!ok) {
              throw ErrorCode.CONFLICT.failure("The nickname " + found.getString("nickname")
                + " is taken; pick another, or enter the personal code you chose with it");
            }
            return succeeded(attempts).map(cleared -> found.put("resumed", true));
          });
      });
  }

  private void changeCodelab(RoutingContext ctx, Address address, int status,
                             BiFunction<Actor, JsonObject, Future<JsonObject>> prepare) {
    respond(ctx, status, caller(ctx, Need.FACILITATOR).compose(actor ->
      prepare.apply(actor, requestBody(ctx))
        .compose(body -> bus.request(address, actor, body))
        .compose(done -> codelab(actor, ctx.pathParam("codelabId")))));
  }

  private Future<JsonObject> codelab(Actor actor, String codelabId) {
    return bus.request(Address.CODELAB_GET, actor, new JsonObject().put("codelabId", codelabId));
  }

  /** Sends the request's body, path parameters and query parameters, stamped with the caller. */
  private void forward(RoutingContext ctx, Need need, Address address, int status) {
    respond(ctx, status, caller(ctx, need).compose(actor -> bus.request(address, actor, requestBody(ctx))));
  }

  /** Like forward, but a first application answers 201 and an idempotent retry 200. */
  private void created(RoutingContext ctx, Need need, Address address) {
    caller(ctx, need).compose(actor -> bus.request(address, actor, requestBody(ctx))).onComplete(
      reply -> HttpApiVerticle.json(ctx, reply.getBoolean("duplicate", false) ? 200 : 201, reply),
      failure -> Problems.send(ctx, failure));
  }

  /** The body plus the path and query parameters, typed as the contract declares them. */
  static JsonObject requestBody(RoutingContext ctx) {
    JsonObject body = body(ctx);
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    for (Map<String, RequestParameter> parameters : List.of(validated.getPathParameters(), validated.getQuery())) {
      parameters.forEach((name, parameter) -> {
        if (!parameter.isNull()) {
          body.put(name, parameter.get());
        }
      });
    }
    return body;
  }

  /** The body as the contract validated it: an operation that declares none ignores whatever was sent. */
  private static JsonObject body(RoutingContext ctx) {
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    RequestParameter body = validated == null ? null : validated.getBody();
    JsonObject copy = body != null && body.get() instanceof JsonObject json ? json.copy() : new JsonObject();
    copy.remove("actor");
    return copy;
  }

  private static boolean bearer(JsonObject body) {
    return "bearer".equals(body.getString("delivery"));
  }

  private Future<Actor> caller(RoutingContext ctx, Need need) {
    return api.auth().compose(auth -> auth.caller(ctx, need));
  }

  /** Anyone may read a codelab's summary; a valid token shows more. */
  private Future<Actor> optionalCaller(RoutingContext ctx) {
    return caller(ctx, Need.ANYONE).recover(failure -> failure instanceof BusFailure busFailure
      && busFailure.code == ErrorCode.UNAUTHORISED ? Future.succeededFuture(null) : Future.failedFuture(failure));
  }

  private static boolean notFound(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureCode() == ErrorCode.NOT_FOUND.code;
  }

  private static boolean conflict(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureCode() == ErrorCode.CONFLICT.code;
  }

  static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(reply -> HttpApiVerticle.json(ctx, status, reply), failure -> Problems.send(ctx, failure));
  }

  private static void on(RouterBuilder builder, String operationId, Handler<RoutingContext> handler) {
    builder.getRoute(operationId).addHandler(handler);
  }
}

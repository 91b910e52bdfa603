package io.codelabs.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The catalogue of every event type the writer appends to a codelab's log: no type is written
 * anywhere else. An event travels in {@code data} of the event envelope (see
 * {@link Address#PUBLIC_EVENTS}) on one of the streams its entry allows; the schema describes
 * {@code data}.
 */
public enum EventType {
  CODELAB_UPDATED("codelab.updated", EnumSet.of(Stream.PUBLIC),
    "A facilitator changed the codelab's settings or steps; with stepsChanged=true it carries the new step outline.",
    schema("stepsChanged:boolean", "title?:string", "summary?:string", "author?:string", "categories?:array",
      "visibility?:string", "joinsClosed?:boolean", "archived?:boolean", "steps?:array", "count?:integer",
      "position?:integer", "completion?:object"),
    "{\"stepsChanged\":true,\"position\":0,\"steps\":[{\"position\":0,\"id\":\"s1\",\"title\":\"Setup\",\"durationMinutes\":5}]}"),
  ATTENDEE_JOINED("attendee.joined", EnumSet.of(Stream.PUBLIC),
    "An attendee joined the codelab.",
    schema("attendeeId:string", "nickname:string"),
    "{\"attendeeId\":\"a9\",\"nickname\":\"neo\"}"),
  ATTENDEE_STEP_CHANGED("attendee.step-changed", EnumSet.of(Stream.FACILITATORS),
    "An attendee moved to another step.",
    schema("attendeeId:string", "nickname:string", "step:integer", "previousStep:integer"),
    "{\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"step\":3,\"previousStep\":2}"),
  ATTENDEE_STEP_COMPLETED("attendee.step-completed", EnumSet.of(Stream.FACILITATORS),
    "An attendee completed a step for the first time.",
    schema("attendeeId:string", "nickname:string", "step:integer"),
    "{\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"step\":2}"),
  ATTENDEE_COMPLETED("attendee.completed", EnumSet.of(Stream.FACILITATORS),
    "An attendee met every completion rule of the codelab, for the first time (decided by the writer).",
    schema("attendeeId:string", "nickname:string", "completedAt:integer"),
    "{\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"completedAt\":1763860000000}"),
  COMPLETION_REACHED("completion.reached", EnumSet.of(Stream.ATTENDEE),
    "The attendee completed the codelab: every completion rule holds.",
    schema("attendeeId:string", "nickname:string", "completedAt:integer"),
    "{\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"completedAt\":1763860000000}"),
  CERTIFICATE_ISSUED("certificate.issued", EnumSet.of(Stream.ATTENDEE),
    "The attendee's certificate was issued.",
    schema("certificate:object"),
    "{\"certificate\":{\"id\":\"Vb3k9Qx0mT1uJ7rL2yWc4aHs\",\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"name\":\"Thomas Anderson\",\"status\":\"valid\"}}"),
  CERTIFICATE_REVOKED("certificate.revoked", EnumSet.of(Stream.ATTENDEE),
    "A facilitator revoked the attendee's certificate.",
    schema("certificate:object"),
    "{\"certificate\":{\"id\":\"Vb3k9Qx0mT1uJ7rL2yWc4aHs\",\"attendeeId\":\"a9\",\"status\":\"revoked\",\"revokedAt\":1763860000000,\"revocationReason\":\"Issued by mistake\"}}"),
  RAFFLE_DRAWN("raffle.drawn", EnumSet.of(Stream.PUBLIC),
    "A facilitator drew raffle winners; the seed lets anyone re-run the draw.",
    schema("raffleId:string", "winners:array", "eligible:integer", "seed:string"),
    "{\"raffleId\":\"r1\",\"winners\":[{\"nickname\":\"neo\"}],\"eligible\":12,\"seed\":\"9f2c41d0a6b34e1f8c2d7a5b0e913c68\"}"),
  ATTENDEE_ONLINE("attendee.online", EnumSet.of(Stream.FACILITATORS),
    "An attendee's first socket on any node opened.",
    schema("attendeeId:string", "nickname:string", "online:boolean"),
    "{\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"online\":true}"),
  ATTENDEE_OFFLINE("attendee.offline", EnumSet.of(Stream.FACILITATORS),
    "An attendee's last socket closed, or its node went silent.",
    schema("attendeeId:string", "nickname:string", "online:boolean"),
    "{\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"online\":false}"),
  HELP_REQUESTED("help.requested", EnumSet.of(Stream.ATTENDEE),
    "An attendee asked for help.",
    schema("help:object"),
    "{\"help\":{\"id\":\"h1\",\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"step\":2,\"message\":\"Build fails\",\"status\":\"open\"}}"),
  HELP_CLAIMED("help.claimed", EnumSet.of(Stream.ATTENDEE),
    "A facilitator took a help request.",
    schema("help:object"),
    "{\"help\":{\"id\":\"h1\",\"attendeeId\":\"a9\",\"status\":\"claimed\",\"claimedBy\":\"f1\",\"claimedByName\":\"Kim\"}}"),
  HELP_RESOLVED("help.resolved", EnumSet.of(Stream.ATTENDEE),
    "A facilitator closed a help request.",
    schema("help:object"),
    "{\"help\":{\"id\":\"h1\",\"attendeeId\":\"a9\",\"status\":\"resolved\",\"claimedBy\":\"f1\"}}"),
  HELP_CANCELLED("help.cancelled", EnumSet.of(Stream.ATTENDEE),
    "The attendee withdrew its help request.",
    schema("help:object"),
    "{\"help\":{\"id\":\"h1\",\"attendeeId\":\"a9\",\"status\":\"cancelled\",\"cancelledAt\":1763860000000}}"),
  HELP_ASSIGNED("help.assigned", EnumSet.of(Stream.ATTENDEE),
    "A facilitator handed a help request to a facilitator of the codelab.",
    schema("help:object"),
    "{\"help\":{\"id\":\"h1\",\"attendeeId\":\"a9\",\"status\":\"claimed\",\"claimedBy\":\"f2\",\"claimedByName\":\"Lee\",\"assignedBy\":\"f1\"}}"),
  PACING_HELD("pacing.held", EnumSet.of(Stream.PUBLIC),
    "The facilitator holds everyone at a step until released.",
    schema("step:integer"),
    "{\"step\":3}"),
  PACING_RELEASED("pacing.released", EnumSet.of(Stream.PUBLIC),
    "The hold at a step was released.",
    schema("step:integer"),
    "{\"step\":3}"),
  PACING_SENT_TO_STEP("pacing.sent-to-step", EnumSet.of(Stream.PUBLIC),
    "The facilitator sent everyone to a step.",
    schema("step:integer"),
    "{\"step\":2}"),
  POLL_STARTED("poll.started", EnumSet.of(Stream.PUBLIC),
    "A pulse poll \"done with step N?\" opened.",
    schema("poll:object"),
    "{\"poll\":{\"id\":\"p1\",\"step\":2,\"openedAt\":1763860000000,\"closedAt\":null,\"tally\":{\"yes\":0,\"notYet\":0}}}"),
  POLL_ANSWERED("poll.answered", EnumSet.of(Stream.FACILITATORS),
    "An attendee answered or changed its answer to the open poll; with the poll's tally.",
    schema("pollId:string", "attendeeId:string", "nickname:string", "answer:string", "tally:object"),
    "{\"pollId\":\"p1\",\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"answer\":\"yes\",\"tally\":{\"yes\":12,\"notYet\":3}}"),
  POLL_CLOSED("poll.closed", EnumSet.of(Stream.PUBLIC),
    "A pulse poll closed, with its final tally.",
    schema("poll:object"),
    "{\"poll\":{\"id\":\"p1\",\"step\":2,\"openedAt\":1763860000000,\"closedAt\":1763860090000,\"tally\":{\"yes\":12,\"notYet\":3}}}"),
  KNOWN_ISSUE_SET("issue.pinned", EnumSet.of(Stream.PUBLIC),
    "A facilitator pinned (or edited) the known-issue note of a step.",
    schema("step:integer", "text:string"),
    "{\"step\":3,\"text\":\"Gradle sync fails behind the proxy: use the offline mirror in the README\"}"),
  KNOWN_ISSUE_CLEARED("issue.unpinned", EnumSet.of(Stream.PUBLIC),
    "A facilitator took down the known-issue note of a step.",
    schema("step:integer"),
    "{\"step\":3}"),
  CHAT_POSTED("chat.posted", EnumSet.of(Stream.PUBLIC, Stream.ATTENDEE),
    "A chat message: public on the public stream, direct in the attendee's inbox.",
    schema("message:object"),
    "{\"message\":{\"id\":\"m1\",\"senderRole\":\"attendee\",\"senderId\":\"a9\",\"senderName\":\"neo\",\"direct\":false,\"text\":\"Hello\",\"at\":1763860000000}}"),
  ANNOUNCEMENT_POSTED("announcement.posted", EnumSet.of(Stream.PUBLIC),
    "A facilitator posted an announcement.",
    schema("announcement:object"),
    "{\"announcement\":{\"id\":\"n1\",\"text\":\"Lunch at 12\",\"pinned\":true,\"authorName\":\"Kim\"}}"),
  ANNOUNCEMENT_PINNED("announcement.pinned", EnumSet.of(Stream.PUBLIC),
    "An announcement was pinned.",
    schema("announcement:object"),
    "{\"announcement\":{\"id\":\"n1\",\"text\":\"Lunch at 12\",\"pinned\":true}}"),
  ANNOUNCEMENT_UNPINNED("announcement.unpinned", EnumSet.of(Stream.PUBLIC),
    "An announcement was unpinned.",
    schema("announcement:object"),
    "{\"announcement\":{\"id\":\"n1\",\"text\":\"Lunch at 12\",\"pinned\":false}}"),
  SUBMISSION_ADDED("submission.added", EnumSet.of(Stream.ATTENDEE),
    "An attendee handed in a file or a link.",
    schema("submission:object"),
    "{\"submission\":{\"id\":\"s1\",\"attendeeId\":\"a9\",\"kind\":\"file\",\"title\":\"Step 3\",\"fileName\":\"app.zip\",\"sizeBytes\":48213}}"),
  SUBMISSION_DELETED("submission.deleted", EnumSet.of(Stream.ATTENDEE),
    "An attendee deleted one of its submissions.",
    schema("submissionId:string", "attendeeId:string"),
    "{\"submissionId\":\"s1\",\"attendeeId\":\"a9\"}"),
  MATERIAL_ADDED("material.added", EnumSet.of(Stream.PUBLIC),
    "A facilitator attached a link, file or image.",
    schema("material:object"),
    "{\"material\":{\"id\":\"m1\",\"kind\":\"link\",\"title\":\"Slides\",\"url\":\"https://example.org/slides\"}}"),
  MATERIAL_REMOVED("material.removed", EnumSet.of(Stream.PUBLIC),
    "A facilitator removed a material.",
    schema("materialId:string"),
    "{\"materialId\":\"m1\"}"),
  QUIZZES_UPDATED("quizzes.updated", EnumSet.of(Stream.PUBLIC),
    "A facilitator replaced the codelab's quizzes; they come as attendees see them, without answer keys.",
    schema("quizzes:array"),
    "{\"quizzes\":[{\"id\":\"q1\",\"title\":\"Check\",\"step\":2,\"attempts\":2,\"scoring\":\"best\",\"reveal\":\"after-submit\",\"questions\":[{\"id\":\"q1\",\"kind\":\"short\",\"prompt\":\"Port?\",\"promptHtml\":\"<p>Port?</p>\",\"points\":1}]}]}"),
  QUIZ_SUBMITTED("quiz.submitted", EnumSet.of(Stream.FACILITATORS),
    "An attendee submitted an attempt at a quiz, graded by the writer.",
    schema("attendeeId:string", "nickname:string", "quizId:string", "number:integer", "percent:integer",
      "passed:boolean"),
    "{\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"quizId\":\"q1\",\"number\":1,\"percent\":80,\"passed\":true}"),
  QUIZ_GRADED("quiz.graded", EnumSet.of(Stream.ATTENDEE),
    "The attendee's graded attempt, with the answer keys only when the quiz reveals them.",
    schema("attempt:object"),
    "{\"attempt\":{\"quizId\":\"q1\",\"number\":1,\"score\":4,\"maxScore\":5,\"percent\":80,\"passed\":true,\"submittedAt\":1763860000000,\"questions\":[{\"questionId\":\"q1\",\"correct\":true}]}}"),
  FEEDBACK_GIVEN("feedback.given", EnumSet.of(Stream.FACILITATORS),
    "An attendee gave or edited its feedback.",
    schema("feedback:object"),
    "{\"feedback\":{\"attendeeId\":\"a9\",\"nickname\":\"neo\",\"difficulty\":3,\"satisfaction\":5,\"comment\":\"Great\",\"at\":1763860000000}}"),
  UPLOAD_REJECTED("upload.rejected", EnumSet.of(Stream.FACILITATORS),
    "The virus scanner refused an uploaded file.",
    schema("purpose:string", "fileName:string", "sha256:string", "signature:string", "byRole:string", "byId:string",
      "byName:string"),
    "{\"purpose\":\"submission\",\"fileName\":\"app.zip\",\"sha256\":\"275a021b...\",\"signature\":\"Eicar-Test-Signature\",\"byRole\":\"attendee\",\"byId\":\"a9\",\"byName\":\"neo\"}"),
  WEBHOOK_DISABLED("webhook.disabled", EnumSet.of(Stream.FACILITATORS),
    "A webhook endpoint of a facilitator of the codelab failed for the whole retry window and was disabled.",
    schema("webhookId:string", "facilitatorId:string", "description:string", "reason:string"),
    "{\"webhookId\":\"w1\",\"facilitatorId\":\"f1\",\"description\":\"Grader\",\"reason\":\"HTTP 500 since 1763860000000\"}");

  /** Who receives an event: the stream names it in the envelope, the address is where it is published. */
  public enum Stream {
    PUBLIC("public", Address.PUBLIC_EVENTS),
    FACILITATORS("facilitators", Address.FACILITATOR_EVENTS),
    /** One attendee's inbox; its events also go to the facilitators stream. */
    ATTENDEE("attendee", Address.INBOX_EVENTS);

    public final String wire;
    public final Address address;

    Stream(String wire, Address address) {
      this.wire = wire;
      this.address = address;
    }

    public static Stream of(String wire) {
      return Arrays.stream(values()).filter(stream -> stream.wire.equals(wire)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No stream " + wire));
    }
  }

  public final String type;
  public final Set<Stream> streams;
  public final String description;
  /** JSON Schema of the event's {@code data}. */
  public final JsonObject schema;
  public final String example;

  EventType(String type, Set<Stream> streams, String description, JsonObject schema, String example) {
    this.type = type;
    this.streams = streams;
    this.description = description;
    this.schema = schema;
    this.example = example;
  }

  public JsonObject describe() {
    return new JsonObject()
      .put("type", type)
      .put("streams", streams.stream().map(stream -> stream.wire).toList())
      .put("description", description)
      .put("schema", schema)
      .put("example", example);
  }

  /** An object schema from {@code name:type} fields; a name ending in {@code ?} is optional. */
  private static JsonObject schema(String... fields) {
    JsonObject properties = new JsonObject();
    JsonArray required = new JsonArray();
    for (String field : fields) {
      String[] parts = field.split(":");
      boolean optional = parts[0].endsWith("?");
      String name = optional ? parts[0].substring(0, parts[0].length() - 1) : parts[0];
      properties.put(name, new JsonObject().put("type", parts[1]));
      if (!optional) {
        required.add(name);
      }
    }
    return new JsonObject().put("type", "object").put("required", required).put("properties", properties);
  }
}

package io.codelabs.persistence;

import io.codelabs.bus.BusFailure;
import io.codelabs.bus.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.MemoizedSupplier;

/**
 * A batch as one entry of the replicated log: the commands' names and bodies, the time and the seed the
 * leader chose. Every core node runs it on its own file with {@link BatchRunner} and gets the same rows.
 */
record ReplicatedBatch(long now, byte[] seed, List<Named> calls) {

  record Named(String name, JsonObject body) {
  }

  byte[] encode() {
    JsonArray encoded = new JsonArray();
    calls.forEach(call -> encoded.add(new JsonObject().put("name", call.name).put("body", call.body)));
    return new JsonObject().put("now", now).put("seed", Base64.getEncoder().encodeToString(seed))
      .put("calls", encoded).toBuffer().getBytes();
  }

  static ReplicatedBatch decode(byte[] bytes) {
    JsonObject json = new JsonObject(Buffer.buffer(bytes));
    List<Named> calls = new ArrayList<>();
    json.getJsonArray("calls").forEach(item -> {
      JsonObject call = (JsonObject) item;
      calls.add(new Named(call.getString("name"), call.getJsonObject("body")));
    });
    return new ReplicatedBatch(json.getLong("now"), Base64.getDecoder().decode(json.getString("seed")), calls);
  }

  boolean adoptsIdentity() {
    return calls.stream().anyMatch(call -> call.name.equals(Writer.Internal.ADOPT_IDENTITY.key));
  }

  /** The calls for a runner; a name this node does not know fails that command only, as a bad body would. */
  List<BatchRunner.Call> resolve(Map<String, Writer.Command> byName) {
    return calls.stream().map(call -> new BatchRunner.Call(byName.getOrDefault(call.name, (tx, body) -> {
      throw ErrorCode.INVALID.failure("No writer command " + call.name);
    }), call.body)).toList();
  }

  /**
   * A batch's outcomes as the log's answer. The leader's writer, in the same process, takes them as they are; they
   * are encoded only for a client elsewhere, so no core node spends its apply thread encoding replies.
   */
  static final class Applied implements Message {
    private final List<BatchRunner.Outcome> outcomes;
    private final MemoizedSupplier<ByteString> content;

    Applied(List<BatchRunner.Outcome> outcomes) {
      this.outcomes = outcomes;
      this.content = MemoizedSupplier.valueOf(() -> ByteString.copyFrom(encodeOutcomes(outcomes)));
    }

    @Override
    public ByteString getContent() {
      return content.get();
    }
  }

  /** The outcomes in a reply of the log, given as they are in this process or decoded from elsewhere. */
  static List<BatchRunner.Outcome> outcomes(Message reply) {
    return reply instanceof Applied applied ? applied.outcomes : decodeOutcomes(reply.getContent().toByteArray());
  }

  static byte[] encodeOutcomes(List<BatchRunner.Outcome> outcomes) {
    JsonArray encoded = new JsonArray();
    for (BatchRunner.Outcome outcome : outcomes) {
      JsonObject json = new JsonObject().put("reply", outcome.reply()).put("events", new JsonArray(outcome.events()))
        .put("revocations", new JsonArray(outcome.revocations()));
      if (outcome.failure() != null) {
        json.put("failure", new JsonObject().put("code", ErrorCode.of(outcome.failure()).code)
          .put("message", outcome.failure().getMessage()));
      }
      encoded.add(json);
    }
    return encoded.toBuffer().getBytes();
  }

  static List<BatchRunner.Outcome> decodeOutcomes(byte[] bytes) {
    List<BatchRunner.Outcome> outcomes = new ArrayList<>();
    new JsonArray(Buffer.buffer(bytes)).forEach(item -> {
      JsonObject json = (JsonObject) item;
      JsonObject failure = json.getJsonObject("failure");
      outcomes.add(new BatchRunner.Outcome(json.getJsonObject("reply"), jsonObjects(json.getJsonArray("events")),
        jsonObjects(json.getJsonArray("revocations")),
        failure == null ? null : new BusFailure(ErrorCode.of(failure.getInteger("code")), failure.getString("message"))));
    });
    return outcomes;
  }

  private static List<JsonObject> jsonObjects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }
}

package io.codelabs.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The AsyncAPI 3.0 document of the realtime contract, built from the catalogue: the addresses a socket may use are its
 * channels, the event types its messages, and a command's payload is the body rule the bridge checks it with (the
 * REST operation the address names in {@code openapi/openapi.yaml}).
 */
final class AsyncApiDocument {
  static final Path FILE = Path.of("../openapi/asyncapi.yaml");
  static final Path OPENAPI = Path.of("../openapi/openapi.yaml");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
  private static final Pattern SCHEMA_REF = Pattern.compile("#/components/schemas/([A-Za-z0-9_.-]+)");
  /** Failures the bridge itself answers to any send, before or instead of the writer's. */
  private static final List<ErrorCode> BRIDGE_FAILURES = List.of(ErrorCode.INVALID, ErrorCode.FORBIDDEN,
    ErrorCode.RATE_LIMITED, ErrorCode.BUSY, ErrorCode.TIMEOUT);
  private static final Map<String, String> PARAMETERS = Map.of(
    "codelabId", "The codelab's id.",
    "attendeeId", "The attendee's id (an attendee may only receive its own inbox).");

  private final JsonObject openapi;
  private final JsonObject schemas = new JsonObject();

  private AsyncApiDocument(JsonObject openapi) {
    this.openapi = openapi;
  }

  /** The document as committed: a header saying where it comes from, then YAML. */
  static String yaml() throws IOException {
    Map<String, Object> openapi = new Yaml().load(Files.readString(OPENAPI));
    JsonObject document = new AsyncApiDocument(new JsonObject(openapi)).document();
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setWidth(120);
    return """
      # Generated from io.codelabs.bus.Address, EventType and ErrorCode and the body rules in openapi.yaml;
      # AsyncApiDocumentTest checks it. Change the catalogue, then copy verticles/target/asyncapi.yaml here.
      """ + new Yaml(options).dump(plain(document));
  }

  private JsonObject document() {
    JsonObject channels = new JsonObject();
    JsonObject operations = new JsonObject();
    JsonObject messages = new JsonObject();
    JsonObject replies = new JsonObject().put("failure", ref("#/components/messages/failure"));
    for (Address address : Address.values()) {
      if (address.users.isEmpty()) {
        continue;
      }
      String channelId = camel(address.name());
      JsonObject channel = new JsonObject().put("address", address.address).put("description", address.description);
      JsonObject parameters = parameters(address);
      if (!parameters.isEmpty()) {
        channel.put("parameters", parameters);
      }
      JsonObject channelMessages = new JsonObject();
      JsonObject operation = new JsonObject()
        .put("action", address.outbound() ? "receive" : "send")
        .put("channel", ref("#/channels/" + channelId))
        .put("security", security(address));
      if (address.kind == Address.Kind.EVENT) {
        for (EventType eventType : EventType.values()) {
          if (eventType.streams.stream().anyMatch(stream -> stream.address == address)) {
            String messageId = camel(eventType.name());
            messages.put(messageId, eventMessage(eventType));
            channelMessages.put(messageId, ref("#/components/messages/" + messageId));
          }
        }
      } else if (address.kind == Address.Kind.SNAPSHOT) {
        messages.put(channelId, new JsonObject().put("name", address.address).put("title", "Snapshot")
          .put("summary", address.description).put("traits", new JsonArray().add(ref("#/components/messageTraits/delivered")))
          .put("payload", new JsonObject().put("type", "object"))
          .put("examples", new JsonArray().add(new JsonObject().put("payload", new JsonObject(address.example)))));
        channelMessages.put(channelId, ref("#/components/messages/" + channelId));
      } else {
        JsonObject rest = address.operation == null ? answeredByTheBridge(address) : restOperation(address.operation);
        String operationId = operationId(address);
        messages.put(operationId, commandMessage(address, rest));
        channelMessages.put(operationId, ref("#/components/messages/" + operationId));
        String replyId = operationId + "Reply";
        messages.put(replyId, new JsonObject().put("name", replyId).put("title", "Reply to " + address.address)
          .put("summary", successDescription(rest)).put("traits", new JsonArray().add(ref("#/components/messageTraits/reply")))
          .put("payload", new JsonObject().put("type", "object")));
        replies.put(replyId, ref("#/components/messages/" + replyId));
        List<Integer> errorCodes = errorCodes(rest);
        operation
          .put("description", address.description + "\n\nFails with " + errorCodes.stream()
            .map(code -> code + " (" + ErrorCode.of(code).title + ")").collect(Collectors.joining(", ")) + ".")
          .put("reply", new JsonObject()
            .put("address", new JsonObject().put("location", "$message.header#/replyAddress")
              .put("description", "The replyAddress the client chose in its send frame."))
            .put("channel", ref("#/channels/reply"))
            .put("messages", new JsonArray().add(ref("#/channels/reply/messages/" + replyId))
              .add(ref("#/channels/reply/messages/failure"))))
          .put("x-error-codes", new JsonArray(errorCodes));
      }
      if (!operation.containsKey("description")) {
        operation.put("description", "Register for " + address.address + " to receive what it delivers. "
          + address.description);
      }
      channel.put("messages", channelMessages);
      operation.put("messages", new JsonArray(channelMessages.fieldNames().stream()
        .map(messageId -> ref("#/channels/" + channelId + "/messages/" + messageId)).toList()));
      String scope = scope(address);
      if (scope != null) {
        operation.put("x-api-key-scope", scope);
      }
      channels.put(channelId, channel);
      operations.put(address.outbound() ? "receive" + channelId.substring(0, 1).toUpperCase() + channelId.substring(1)
        : operationId(address), operation);
    }
    channels.put("reply", new JsonObject().putNull("address")
      .put("description", "Where the bridge answers a send: the replyAddress the client chose, one answer per send.")
      .put("messages", replies));
    messages.put("failure", new JsonObject().put("name", "err").put("title", "Failure")
      .put("summary", "A refused or failed send, to its replyAddress; failureCode says why.")
      .put("traits", new JsonArray().add(ref("#/components/messageTraits/failure")))
      .put("payload", new JsonObject().put("type", "string")
        .put("description", "The reason, such as access_denied, rate_limited or the validation failure.")));
    return new JsonObject()
      .put("asyncapi", "3.0.0")
      .put("info", new JsonObject()
        .put("title", "Open Codelabs realtime contract")
        .put("version", openapi.getJsonObject("info").getString("version"))
        .put("description", INFO))
      .put("defaultContentType", "application/json")
      .put("servers", servers())
      .put("channels", channels)
      .put("operations", operations)
      .put("components", new JsonObject()
        .put("schemas", componentSchemas())
        .put("messages", messages)
        .put("messageTraits", messageTraits())
        .put("securitySchemes", securitySchemes()));
  }

  private static final String INFO = """
    The event-bus bridge of the Open Codelabs workshop platform: what a socket may send and receive.

    **Frames.** A socket exchanges JSON frames `{"type", "address", "replyAddress", "headers", "body"}`. In this \
    document a message's payload is the frame's `body` and its headers are the frame's other fields. A client \
    `register`s for an address to receive what is published there, `unregister`s, `send`s a command (with a \
    `replyAddress` when it wants the answer) and pings at least every `pingTimeout`. Everything not listed here is \
    refused with `access_denied`, and so is every `publish`.

    **Identity.** The bridge stamps the caller's identity onto every command from its credential, and for attendees \
    the codelab of its token: an `actor` or another attendee's ids in a body are ignored.

    **Replay.** Every event of a codelab carries `seq` (one more per event of that codelab) and `epoch` (the \
    database's identity). A client keeps the last `seq` and `epoch` it saw and, after a reconnect to any node, \
    sends `codelab.events.replay` with `after` and `epoch`: it gets the missed events in order, or `reset: true` \
    when they fell out of the window or the epoch changed, and then reloads its state.

    **Errors.** A failed send answers an `err` frame whose `failureCode` is an ErrorCode number, the same number \
    the REST API answers as HTTP status for the same failure.
    """;

  private static JsonObject servers() {
    JsonObject host = new JsonObject().put("default", "localhost").put("description", "The node's public host name.");
    return new JsonObject()
      .put("sockjs", new JsonObject()
        .put("host", "{host}:{port}")
        .put("pathname", "/eventbus")
        .put("protocol", "ws")
        .put("title", "SockJS event-bus bridge")
        .put("description", "The browsers' bridge: SockJS at /eventbus (WebSocket, with HTTP fallbacks), and a raw "
          + "WebSocket at /eventbus/websocket whose frames are binary. GET /api/realtime tells the URL browsers use. "
          + "The handshake request carries the credential.")
        .put("variables", new JsonObject().put("host", host)
          .put("port", new JsonObject().put("default", "8081").put("description", "The node's bridge.port.")))
        .put("security", new JsonArray().add(ref("#/components/securitySchemes/facilitatorCookie"))
          .add(ref("#/components/securitySchemes/attendeeCookie")).add(ref("#/components/securitySchemes/bearerToken"))
          .add(ref("#/components/securitySchemes/apiKey"))))
      .put("tcp", new JsonObject()
        .put("host", "{host}:{port}")
        .put("protocol", "tcp")
        .put("title", "TCP event-bus bridge")
        .put("description", "For services in any language, in the dialect of the stock vertx-tcp-eventbus-bridge: "
          + "each frame is a 4-byte big-endian length, then that many bytes of UTF-8 JSON; deliveries and replies "
          + "arrive as `message` frames (`rec` on SockJS) and a `ping` is answered with `pong`. The first frame "
          + "carries the credential in its headers: {\"headers\": {\"Authorization\": \"Bearer clk_...\"}}; nothing "
          + "is handled before it checks out.")
        .put("variables", new JsonObject().put("host", host)
          .put("port", new JsonObject().put("default", "8082").put("description", "The node's tcpBridge.port.")))
        .put("security", new JsonArray().add(ref("#/components/securitySchemes/apiKey"))
          .add(ref("#/components/securitySchemes/bearerToken"))));
  }

  private static JsonObject securitySchemes() {
    return new JsonObject()
      .put("facilitatorCookie", new JsonObject().put("type", "httpApiKey").put("in", "cookie")
        .put("name", "codelabs_fac")
        .put("description", "The facilitator's session cookie, set by POST /api/auth/login; full facilitator rights."))
      .put("attendeeCookie", new JsonObject().put("type", "httpApiKey").put("in", "cookie")
        .put("name", "codelabs_att")
        .put("description", "The attendee's session cookie, set on joining a codelab. A browser holding both cookies "
          + "opens the bridge with ?as=attendee to be the attendee."))
      .put("bearerToken", new JsonObject().put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT")
        .put("description", "A facilitator session token (POST /api/auth/login with \"delivery\": \"bearer\") as "
          + "Authorization: Bearer <token> on the handshake; full facilitator rights."))
      .put("apiKey", new JsonObject().put("type", "http").put("scheme", "bearer")
        .put("bearerFormat", "clk_<keyId>_<secret>")
        .put("description", "A facilitator's API key as Authorization: Bearer clk_<keyId>_<secret>, scoped to one "
          + "codelab or all of the facilitator's. Its scopes: events:read (register for event streams and replay), "
          + "commands:write (facilitator commands), results:read (results over REST). Each operation names the "
          + "scope it needs in x-api-key-scope. Revoking a key closes its open sockets on every node."));
  }

  private static JsonObject messageTraits() {
    return new JsonObject()
      .put("sent", new JsonObject().put("headers", new JsonObject().put("type", "object").put("required", new JsonArray()
        .add("type").add("address")).put("properties", new JsonObject()
        .put("type", new JsonObject().put("const", "send"))
        .put("address", new JsonObject().put("type", "string"))
        .put("replyAddress", new JsonObject().put("type", "string")
          .put("description", "Where the answer goes; without it the command gets no answer."))
        .put("headers", new JsonObject().put("type", "object")))))
      .put("delivered", new JsonObject().put("headers", new JsonObject().put("type", "object").put("required", new JsonArray()
        .add("type").add("address")).put("properties", new JsonObject()
        .put("type", new JsonObject().put("enum", new JsonArray().add("rec").add("message"))
          .put("description", "rec on the SockJS bridge, message on the TCP bridge."))
        .put("address", new JsonObject().put("type", "string")))))
      .put("reply", new JsonObject().put("headers", new JsonObject().put("type", "object").put("properties", new JsonObject()
        .put("type", new JsonObject().put("enum", new JsonArray().add("rec").add("message")))
        .put("address", new JsonObject().put("type", "string").put("description", "The send's replyAddress.")))))
      .put("failure", new JsonObject().put("headers", new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("type").add("failureCode")).put("properties", new JsonObject()
          .put("type", new JsonObject().put("const", "err"))
          .put("address", new JsonObject().put("type", "string").put("description", "The send's replyAddress."))
          .put("failureCode", ref("#/components/schemas/ErrorCode"))
          .put("failureType", new JsonObject().put("const", "RECIPIENT_FAILURE"))
          .put("message", new JsonObject().put("type", "string")))));
  }

  private JsonObject componentSchemas() {
    JsonObject envelope = new JsonObject().put("type", "object")
      .put("description", "Every event as it is delivered. seq counts a codelab's events from 1, contiguous over "
        + "the streams a facilitator receives; epoch changes when the database is restored, so a client that saw "
        + "another epoch replays from the start. streamSeq counts the events of one stream.")
      .put("required", new JsonArray().add("codelabId").add("seq").add("epoch").add("stream").add("streamSeq")
        .add("type").add("at").add("data"))
      .put("properties", new JsonObject()
        .put("codelabId", new JsonObject().put("type", "string"))
        .put("seq", new JsonObject().put("type", "integer").put("minimum", 1))
        .put("epoch", new JsonObject().put("type", "string"))
        .put("stream", new JsonObject().put("enum", new JsonArray(Arrays.stream(EventType.Stream.values())
          .map(stream -> stream.wire).toList())))
        .put("attendeeId", new JsonObject().put("type", new JsonArray().add("string").add("null"))
          .put("description", "The inbox's attendee, for attendee-stream events."))
        .put("streamSeq", new JsonObject().put("type", "integer").put("minimum", 1))
        .put("type", new JsonObject().put("type", "string").put("description", "The event type, one of the messages."))
        .put("eventId", new JsonObject().put("type", new JsonArray().add("string").add("null"))
          .put("description", "The client's id of the command, which makes a retried command a duplicate."))
        .put("at", new JsonObject().put("type", "integer").put("description", "Commit time, epoch milliseconds."))
        .put("data", new JsonObject().put("type", "object")));
    JsonObject result = new JsonObject()
      .put("EventEnvelope", envelope)
      .put("ErrorCode", new JsonObject().put("type", "integer")
        .put("description", "The failure code of a bus reply; the HTTP status the REST API answers for it.")
        .put("oneOf", new JsonArray(Arrays.stream(ErrorCode.values()).map(code -> new JsonObject()
          .put("const", code.code).put("title", code.name()).put("description", code.title)).toList())));
    schemas.forEach(entry -> result.put(entry.getKey(), entry.getValue()));
    return result;
  }

  private static JsonObject eventMessage(EventType eventType) {
    EventType.Stream stream = eventType.streams.iterator().next();
    JsonObject example = new JsonObject().put("codelabId", "c1").put("seq", 42)
      .put("epoch", "9f2c41d0a6b34e1f8c2d7a5b0e913c68").put("stream", stream.wire)
      .put("attendeeId", stream == EventType.Stream.ATTENDEE ? "a9" : null).put("streamSeq", 17)
      .put("type", eventType.type).put("eventId", null).put("at", 1763860000000L)
      .put("data", new JsonObject(eventType.example));
    return new JsonObject()
      .put("name", eventType.type)
      .put("title", eventType.type)
      .put("summary", eventType.description)
      .put("traits", new JsonArray().add(ref("#/components/messageTraits/delivered")))
      .put("payload", new JsonObject().put("allOf", new JsonArray()
        .add(ref("#/components/schemas/EventEnvelope"))
        .add(new JsonObject().put("type", "object").put("properties", new JsonObject()
          .put("type", new JsonObject().put("const", eventType.type))
          .put("data", eventType.schema.copy())))))
      .put("examples", new JsonArray().add(new JsonObject().put("payload", example)));
  }

  /**
   * The body the bridge checks a send with: the REST operation's path and query parameters as fields, then its request
   * body. Attendees never name their codelab: the bridge takes it from their token.
   */
  private JsonObject commandMessage(Address address, JsonObject rest) {
    boolean attendees = address.users.contains(Address.Role.ATTENDEE);
    boolean facilitators = address.users.contains(Address.Role.FACILITATOR);
    JsonObject properties = new JsonObject();
    JsonArray required = new JsonArray();
    for (JsonObject parameter : restParameters(rest)) {
      String name = parameter.getString("name");
      if (!List.of("path", "query").contains(parameter.getString("in")) || name.equals("codelabId") && !facilitators) {
        continue;
      }
      JsonObject schema = collect(parameter.getJsonObject("schema").copy());
      if (name.equals("codelabId") && attendees) {
        schema.put("description", "Facilitators name the codelab; for attendees the bridge takes it from their token.");
      } else if (Boolean.TRUE.equals(parameter.getBoolean("required"))) {
        required.add(name);
      }
      properties.put(name, schema);
    }
    JsonObject payload = new JsonObject().put("type", "object");
    JsonObject body = requestBody(rest);
    if (body != null) {
      body.getJsonObject("properties", new JsonObject()).forEach(field -> properties.put(field.getKey(),
        collect(((JsonObject) field.getValue()).copy())));
      body.getJsonArray("required", new JsonArray()).forEach(required::add);
      if (body.containsKey("additionalProperties")) {
        payload.put("additionalProperties", body.getValue("additionalProperties"));
      }
    }
    payload.put("required", required).put("properties", properties);
    JsonObject example = new JsonObject(address.example);
    example.remove("actor");
    if (required.contains("codelabId") && !example.containsKey("codelabId")) {
      example.put("codelabId", "c1");
    }
    return new JsonObject()
      .put("name", address.address)
      .put("title", address.address)
      .put("summary", rest.getString("summary", address.description))
      .put("traits", new JsonArray().add(ref("#/components/messageTraits/sent")))
      .put("payload", payload)
      .put("examples", new JsonArray().add(new JsonObject().put("payload", example)));
  }

  /** The REST operation's id, or for an address the bridge answers itself (it has no REST twin), the address's name. */
  static String operationId(Address address) {
    return address.operation == null ? camel(address.name()) : address.operation;
  }

  /** What an address the bridge answers itself looks like as an operation: nothing to send, an empty body back. */
  private static JsonObject answeredByTheBridge(Address address) {
    return new JsonObject().put("summary", address.description).put("parameters", new JsonArray())
      .put("responses", new JsonObject().put("200", new JsonObject().put("description", "An empty body.")));
  }

  private JsonObject restOperation(String operationId) {
    for (Map.Entry<String, Object> path : openapi.getJsonObject("paths")) {
      JsonObject item = (JsonObject) path.getValue();
      for (Map.Entry<String, Object> method : item) {
        if (method.getValue() instanceof JsonObject operation && operationId.equals(operation.getString("operationId"))) {
          JsonArray parameters = new JsonArray();
          item.getJsonArray("parameters", new JsonArray()).forEach(parameters::add);
          operation.getJsonArray("parameters", new JsonArray()).forEach(parameters::add);
          return operation.copy().put("parameters", parameters);
        }
      }
    }
    throw new IllegalStateException("openapi.yaml has no operation " + operationId);
  }

  private List<JsonObject> restParameters(JsonObject rest) {
    return rest.getJsonArray("parameters").stream().map(JsonObject.class::cast).map(this::resolve).toList();
  }

  private JsonObject requestBody(JsonObject rest) {
    JsonObject body = rest.getJsonObject("requestBody");
    if (body == null) {
      return null;
    }
    JsonObject json = body.getJsonObject("content").getJsonObject("application/json");
    return json == null ? null : resolve(json.getJsonObject("schema"));
  }

  private String successDescription(JsonObject rest) {
    return rest.getJsonObject("responses").stream().filter(response -> response.getKey().startsWith("2"))
      .map(response -> resolve((JsonObject) response.getValue()).getString("description"))
      .findFirst().orElse("The command's answer.");
  }

  /** The operation's own failure responses and the bridge's, in order. */
  private static List<Integer> errorCodes(JsonObject rest) {
    Set<Integer> codes = new TreeSet<>();
    rest.getJsonObject("responses").fieldNames().stream().filter(code -> code.matches("[45]\\d\\d"))
      .map(Integer::valueOf).filter(code -> ErrorCode.of(code).code == code).forEach(codes::add);
    BRIDGE_FAILURES.forEach(code -> codes.add(code.code));
    return new ArrayList<>(codes);
  }

  private JsonObject resolve(JsonObject maybeRef) {
    String ref = maybeRef.getString("$ref");
    if (ref == null) {
      return maybeRef;
    }
    JsonObject target = openapi;
    for (String part : ref.substring(2).split("/")) {
      target = target.getJsonObject(part);
    }
    return resolve(target);
  }

  /** Copies every component schema a schema refers to, so the same reference holds in this document. */
  private JsonObject collect(JsonObject schema) {
    Matcher matcher = SCHEMA_REF.matcher(schema.encode());
    while (matcher.find()) {
      String name = matcher.group(1);
      if (!schemas.containsKey(name)) {
        JsonObject referenced = openapi.getJsonObject("components").getJsonObject("schemas").getJsonObject(name).copy();
        schemas.put(name, referenced);
        collect(referenced);
      }
    }
    return schema;
  }

  private static JsonObject parameters(Address address) {
    JsonObject parameters = new JsonObject();
    Matcher matcher = PLACEHOLDER.matcher(address.address);
    while (matcher.find()) {
      String description = PARAMETERS.get(matcher.group(1));
      if (description == null) {
        throw new IllegalStateException("Describe the placeholder " + matcher.group(1) + " of " + address.address);
      }
      parameters.put(matcher.group(1), new JsonObject().put("description", description));
    }
    return parameters;
  }

  /** Attendees by their cookie; facilitators by cookie, session token or API key. */
  private static JsonArray security(Address address) {
    Set<String> schemes = new LinkedHashSet<>();
    if (address.users.contains(Address.Role.FACILITATOR)) {
      schemes.addAll(List.of("facilitatorCookie", "bearerToken", "apiKey"));
    }
    if (address.users.contains(Address.Role.ATTENDEE)) {
      schemes.add("attendeeCookie");
    }
    return new JsonArray(schemes.stream().map(scheme -> ref("#/components/securitySchemes/" + scheme)).toList());
  }

  /** What an API key needs: reading events (and replaying them), or sending facilitator commands. */
  private static String scope(Address address) {
    if (!address.users.contains(Address.Role.FACILITATOR)) {
      return null;
    }
    return address.outbound() || address.kind == Address.Kind.QUERY ? "events:read" : "commands:write";
  }

  static String camel(String constant) {
    String[] words = constant.toLowerCase().split("_");
    StringBuilder result = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      result.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return result.toString();
  }

  private static JsonObject ref(String pointer) {
    return new JsonObject().put("$ref", pointer);
  }

  /** Maps and lists the YAML writer knows, from the JSON tree. */
  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(entry -> map.put(entry.getKey(), plain(entry.getValue())));
      return map;
    }
    if (value instanceof JsonArray array) {
      // A list of its own each time: equal empty lists from toList() are one object, which YAML would write as an alias.
      return new ArrayList<>(array.stream().map(AsyncApiDocument::plain).toList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, item) -> copy.put((String) key, plain(item)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(AsyncApiDocument::plain).toList();
    }
    return value;
  }
}

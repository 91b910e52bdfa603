package io.codelabs.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code openapi/asyncapi.yaml} is the published realtime contract for integrators: generated from the catalogue, and
 * read back here to hold it to the catalogue entry for entry. On a mismatch the generated document is written to
 * target/asyncapi.yaml to copy over. webroot/test/asyncapi.test.js validates it against the AsyncAPI 3.0 schema.
 */
@DisplayName("The AsyncAPI document of the realtime contract")
class AsyncApiDocumentTest {

  @Test
  @DisplayName("openapi/asyncapi.yaml is what the catalogue generates")
  void documentIsGenerated() throws IOException {
    String expected = AsyncApiDocument.yaml();
    String actual = Files.exists(AsyncApiDocument.FILE) ? Files.readString(AsyncApiDocument.FILE) : "";
    if (!actual.equals(expected)) {
      Files.writeString(Path.of("target/asyncapi.yaml"), expected);
    }
    List<String> actualLines = actual.lines().toList();
    List<String> expectedLines = expected.lines().toList();
    int line = 0;
    while (line < actualLines.size() && line < expectedLines.size() && actualLines.get(line).equals(expectedLines.get(line))) {
      line++;
    }
    // The document is long: name the first line that differs rather than printing both.
    assertThat(actual.equals(expected)).as("%s differs from what the catalogue generates at line %d: expected <%s> but was "
        + "<%s>; copy verticles/target/asyncapi.yaml over it", AsyncApiDocument.FILE, line + 1,
      line < expectedLines.size() ? expectedLines.get(line) : "end of file",
      line < actualLines.size() ? actualLines.get(line) : "end of file").isTrue();
  }

  @Test
  @DisplayName("every address a socket may use is a channel with its placeholders as parameters, and no other is")
  void channelsAreTheBridgedAddresses() throws IOException {
    JsonObject channels = committed().getJsonObject("channels");
    Map<String, JsonObject> byAddress = channels.stream().filter(channel -> !channel.getKey().equals("reply"))
      .collect(Collectors.toMap(channel -> ((JsonObject) channel.getValue()).getString("address"),
        channel -> (JsonObject) channel.getValue()));
    assertThat(byAddress.keySet()).containsExactlyInAnyOrderElementsOf(Arrays.stream(Address.values())
      .filter(address -> !address.users.isEmpty()).map(address -> address.address).toList());
    for (Address address : Address.values()) {
      JsonObject channel = byAddress.get(address.address);
      if (channel != null) {
        assertThat(channel.getString("description")).isEqualTo(address.description);
        assertThat(channel.getJsonObject("parameters", new JsonObject()).fieldNames())
          .containsExactlyElementsOf(Arrays.stream(address.address.split("\\."))
            .filter(part -> part.startsWith("{")).map(part -> part.substring(1, part.length() - 1)).toList());
      }
    }
  }

  @Test
  @DisplayName("every event type is a message with the catalogue's data schema, on the channels of its streams")
  void messagesAreTheEventTypes() throws IOException {
    JsonObject document = committed();
    JsonObject messages = document.getJsonObject("components").getJsonObject("messages");
    for (EventType eventType : EventType.values()) {
      JsonObject message = messages.getJsonObject(AsyncApiDocument.camel(eventType.name()));
      assertThat(message).as("message of %s", eventType.type).isNotNull();
      assertThat(message.getString("name")).isEqualTo(eventType.type);
      assertThat(message.getString("summary")).isEqualTo(eventType.description);
      JsonObject payload = message.getJsonObject("payload").getJsonArray("allOf").getJsonObject(1);
      assertThat(payload.getJsonObject("properties").getJsonObject("data"))
        .as("data schema of %s", eventType.type).isEqualTo(eventType.schema);
      for (EventType.Stream stream : eventType.streams) {
        JsonObject channel = document.getJsonObject("channels").getJsonObject(AsyncApiDocument.camel(stream.address.name()));
        assertThat(channel.getJsonObject("messages").fieldNames()).as("%s on %s", eventType.type, stream.address)
          .contains(AsyncApiDocument.camel(eventType.name()));
      }
    }
  }

  @Test
  @DisplayName("every command a socket may send is a send operation answered on its reply address; every error code is listed")
  void operationsAndErrorCodes() throws IOException {
    JsonObject document = committed();
    JsonObject operations = document.getJsonObject("operations");
    for (Address address : Address.values()) {
      if (!address.users.isEmpty() && !address.outbound()) {
        JsonObject operation = operations.getJsonObject(AsyncApiDocument.operationId(address));
        assertThat(operation).as("operation of %s", address.address).isNotNull();
        assertThat(operation.getString("action")).isEqualTo("send");
        assertThat(operation.getJsonObject("reply").getJsonObject("address").getString("location"))
          .isEqualTo("$message.header#/replyAddress");
        assertThat(operation.getJsonArray("x-error-codes")).contains(ErrorCode.FORBIDDEN.code, ErrorCode.INVALID.code);
      }
    }
    Set<Object> listed = document.getJsonObject("components").getJsonObject("schemas").getJsonObject("ErrorCode")
      .getJsonArray("oneOf").stream().map(code -> ((JsonObject) code).getValue("const")).collect(Collectors.toSet());
    assertThat(listed).containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(code -> code.code)
      .toList());
    assertThat(document.getJsonObject("servers").fieldNames()).containsExactly("sockjs", "tcp");
    assertThat(document.getJsonObject("components").getJsonObject("securitySchemes").fieldNames())
      .containsExactly("facilitatorCookie", "attendeeCookie", "bearerToken", "apiKey");
  }

  @Test
  @DisplayName("every message's example is valid against its payload schema")
  void examplesMatchTheirPayloads() throws IOException {
    JsonObject document = committed();
    JsonObject messages = document.getJsonObject("components").getJsonObject("messages");
    int checked = 0;
    for (String messageId : messages.fieldNames()) {
      JsonObject message = messages.getJsonObject(messageId);
      Validator validator = Validator.create(JsonSchema.of((JsonObject) inline(document, message.getJsonObject("payload"))),
        new JsonSchemaOptions().setDraft(Draft.DRAFT7).setBaseUri("app:///"));
      for (Object example : message.getJsonArray("examples", new JsonArray())) {
        OutputUnit result = validator.validate(((JsonObject) example).getValue("payload"));
        assertThat(result.getValid()).as("example of %s: %s", messageId, result.getErrors()).isTrue();
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(EventType.values().length);
  }

  /** The schema with every local reference replaced by what it points to. */
  private static Object inline(JsonObject document, Object node) {
    if (node instanceof JsonArray array) {
      return new JsonArray(array.stream().map(item -> inline(document, item)).collect(Collectors.toList()));
    }
    if (!(node instanceof JsonObject object)) {
      return node;
    }
    String ref = object.getString("$ref");
    if (ref != null) {
      JsonObject target = document;
      for (String part : ref.substring(2).split("/")) {
        target = target.getJsonObject(part);
      }
      return inline(document, target);
    }
    JsonObject copy = new JsonObject();
    object.forEach(entry -> copy.put(entry.getKey(), inline(document, entry.getValue())));
    return copy;
  }

  private static JsonObject committed() throws IOException {
    Map<String, Object> document = new Yaml().load(Files.readString(AsyncApiDocument.FILE));
    return new JsonObject(new JsonObject(document).encode());
  }
}

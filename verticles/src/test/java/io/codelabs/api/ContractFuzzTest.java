package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.NodeTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation of {@code openapi/openapi.yaml}, sent malformed path parameters, query values,
 * bodies and body fields, without a token, as an attendee and as a facilitator: nothing may answer
 * a server error, and every client error is a problem document carrying its own status.
 */
@DisplayName("Contract-driven fuzzing of every REST operation")
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ContractFuzzTest extends NodeTestBase {
  /** Their fix (415 for non-multipart bodies, 400 for oversized parts and fields) is made with the upload intake. */
  private static final Set<String> UPLOAD_OPERATIONS = Set.of("submitFile", "addMaterialFile", "addImage");
  /** Signing out ends the facilitator session every operation is fuzzed with, so it goes last. */
  private static final String ENDS_SESSIONS = "logout";
  private static final Set<String> OVERSIZED_ON = Set.of("login", "joinCodelab", "createCodelab", "sendChat", "submitLink");
  private static final long BODY_LIMIT = 8L * 1024 * 1024;
  private static final int IN_FLIGHT = 24;
  private static final List<String> CALLERS = List.of("nobody", "attendee", "facilitator");
  /** Kept below the request-line limit, so each reaches routing rather than the line-length guard. */
  private static final String LONG_SEGMENT = "x".repeat(2_000);
  private static final List<String> PATH_VALUES = List.of(LONG_SEGMENT, "%C3%BCn%C3%AF%E2%80%AE%F0%9F%98%80",
    "%00", "%0A%0D", "%1B%5B31m", "%2e%2e", "%2E", "%2F", "%5C", "%252e%252e", "%25", "-1",
    "99999999999999999999", "%20", "%FF%FE");
  private static final List<String> QUERY_VALUES = List.of("abc", "-1", "1e30", "99999999999999999999", "", "%00",
    "%E2%80%AE", LONG_SEGMENT, "1.5", "true", "%FF");
  private static final List<Object> FIELD_VALUES = List.of("abc", 12345, -1, 1.5, true, "",
    new BigInteger("1" + "0".repeat(30)), new BigInteger("-1" + "0".repeat(30)), Long.MAX_VALUE,
    new JsonArray().add(1).add("two"), new JsonObject().put("nested", new JsonObject().put("deeper", List.of(1))),
    "x".repeat(200_001), "\u0000\u001b\u202e\u200b");
  private static final List<Raw> BODIES = List.of(
    new Raw("application/json", ""),
    new Raw("application/json", "{not json"),
    new Raw("application/json", "{\"a\":"),
    new Raw("application/json", "[1,2]"),
    new Raw("application/json", "\"text\""),
    new Raw("application/json", "null"),
    new Raw("application/json", "{}"),
    new Raw("application/json", "[".repeat(5_000)),
    new Raw("application/json", "{\"text\":\"\\ud800\"}"),
    new Raw("text/plain", "hello"),
    new Raw("application/xml", "<a/>"),
    new Raw("application/x-www-form-urlencoded", "a=1&b=2"),
    new Raw("multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--zz--\r\n"),
    new Raw("application/json; charset=utf-16", "{}"));

  private record Raw(String contentType, String body) {
  }

  /** One request, sent by every caller, or (a body field's variant) by one caller in turn. */
  private record Attempt(String operation, HttpMethod method, String uri, String contentType, Buffer body,
                         boolean everyone) {
    Attempt(String operation, HttpMethod method, String uri, String contentType, Buffer body) {
      this(operation, method, uri, contentType, body, true);
    }

    String describe(String as) {
      String shownUri = uri.length() > 160 ? uri.substring(0, 160) + "..." : uri;
      String shownBody = body == null ? "no body" : body.length() > 160
        ? body.getString(0, 160) + "... (" + body.length() + " bytes)" : body.toString();
      return operation + " as " + as + ": " + method + " " + shownUri + " [" + contentType + "] " + shownBody;
    }
  }

  @Test
  @DisplayName("no 5xx ever, and every 4xx is problem+json whose status is the HTTP status")
  void everyOperationAnswersMalformedInputWithAProblem(Vertx vertx) {
    OpenAPIContract contract = OpenAPIContract.from(vertx, "openapi/openapi.yaml").await();
    // Pooled connections are given up well before the server's idle timeout closes them, as browsers do.
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(node.httpPort).setFollowRedirects(false).setKeepAliveTimeout(5),
      new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    List<String> violations = new ArrayList<>();
    List<String> uploadViolations = new ArrayList<>();
    List<String> notTooLarge = new ArrayList<>();
    int answered = 0;
    for (Operation operation : contract.operations().stream()
      .sorted(Comparator.comparing(operation -> operation.getOperationId().equals(ENDS_SESSIONS))).toList()) {
      String codelabId = codelab(admin);
      List<String> tokens = Arrays.asList(null, attendee(codelabId, unique("fz")), admin);
      List<Attempt> attempts = attempts(contract.getRawContract(), operation, codelabId);
      List<String> found = UPLOAD_OPERATIONS.contains(operation.getOperationId()) ? uploadViolations : violations;
      List<Runnable> sends = new ArrayList<>();
      List<Future<String>> outcomes = new ArrayList<>();
      for (int index = 0; index < attempts.size(); index++) {
        Attempt attempt = attempts.get(index);
        for (int who = 0; who < tokens.size(); who++) {
          if (attempt.everyone || who == index % tokens.size()) {
            String as = CALLERS.get(who);
            String token = tokens.get(who);
            sends.add(() -> outcomes.add(send(client, attempt, token)
              .map(response -> violation(attempt.describe(as), response))
              .otherwise(failure -> attempt.describe(as) + " -> no answer: " + failure)));
          }
        }
      }
      for (int start = 0; start < sends.size(); start += IN_FLIGHT) {
        sends.subList(start, Math.min(sends.size(), start + IN_FLIGHT)).forEach(Runnable::run);
        Future.join(outcomes.subList(start, outcomes.size())).await();
      }
      outcomes.stream().map(Future::result).filter(v -> v != null).forEach(found::add);
      answered += outcomes.size();
      if (OVERSIZED_ON.contains(operation.getOperationId())) {
        Attempt oversized = oversized(operation, codelabId);
        for (String token : tokens) {
          HttpResponse<Buffer> response = send(client, oversized, token).await();
          answered++;
          if (response.statusCode() != 413 || violation("", response) != null) {
            notTooLarge.add(oversized.describe(CALLERS.get(tokens.indexOf(token))) + " -> " + response.statusCode());
          }
        }
      }
    }
    client.close();
    assertThat(answered).isGreaterThan(4_000);
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(violations).as("server errors or improper problem answers").isEmpty();
    softly.assertThat(notTooLarge).as("bodies over %d bytes not answered 413 with a problem", BODY_LIMIT).isEmpty();
    softly.assertThat(uploadViolations)
      .as("UPLOAD ROUTES (%s): server errors or improper problem answers", UPLOAD_OPERATIONS).isEmpty();
    softly.assertAll();
  }

  /** What is wrong with the answer, or null. */
  private static String violation(String attempt, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String answer = " -> " + status + " " + response.getHeader("Content-Type") + " " + abbreviated(response.bodyAsString());
    if (status >= 500) {
      return attempt + answer;
    }
    if (status < 400) {
      return null;
    }
    String type = response.getHeader("Content-Type");
    if (type == null || !type.startsWith("application/problem+json")) {
      return attempt + answer;
    }
    try {
      JsonObject problem = response.bodyAsJsonObject();
      return problem != null && problem.getInteger("status", -1) == status ? null : attempt + answer;
    } catch (RuntimeException notJson) {
      return attempt + answer;
    }
  }

  private static String abbreviated(String text) {
    return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private static Future<HttpResponse<Buffer>> send(WebClient client, Attempt attempt, String token) {
    HttpRequest<Buffer> request = client.request(attempt.method, attempt.uri).timeout(30_000);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (attempt.contentType != null) {
      request.putHeader("Content-Type", attempt.contentType);
    }
    return attempt.body == null ? request.send() : request.sendBuffer(attempt.body);
  }

  private static List<Attempt> attempts(JsonObject raw, Operation operation, String codelabId) {
    String name = operation.getOperationId();
    HttpMethod method = operation.getHttpMethod();
    List<Parameter> pathParameters = operation.getParameters().stream().filter(p -> p.getIn() == Location.PATH).toList();
    List<Parameter> queryParameters = operation.getParameters().stream().filter(p -> p.getIn() == Location.QUERY).toList();
    String requiredQuery = queryParameters.stream().filter(Parameter::isRequired)
      .map(p -> p.getName() + "=0")
      .collect(Collectors.joining("&", "?", ""));
    String path = path(operation, pathParameters, codelabId, null, null);
    String uri = path + (requiredQuery.equals("?") ? "" : requiredQuery);
    JsonObject schema = bodySchema(raw, operation);
    JsonObject valid = schema == null ? null : validBody(raw, schema);
    Buffer validBody = valid == null ? null : valid.toBuffer();
    String validType = valid == null ? null : "application/json";
    List<Attempt> attempts = new ArrayList<>();
    attempts.add(new Attempt(name, method, uri, validType, validBody));
    for (Parameter parameter : pathParameters) {
      for (String value : PATH_VALUES) {
        attempts.add(new Attempt(name, method, path(operation, pathParameters, codelabId, parameter.getName(), value)
          + (requiredQuery.equals("?") ? "" : requiredQuery), validType, validBody));
      }
    }
    for (Parameter parameter : queryParameters) {
      for (String value : QUERY_VALUES) {
        attempts.add(new Attempt(name, method, path + "?" + queryParameters.stream()
          .filter(p -> p.isRequired() || p == parameter)
          .map(p -> p.getName() + "=" + (p == parameter ? value : "0"))
          .collect(Collectors.joining("&")), validType, validBody));
      }
    }
    attempts.add(new Attempt(name, method, uri + (uri.contains("?") ? "&" : "?") + "unknown=%00&unknown=" + LONG_SEGMENT,
      validType, validBody));
    attempts.add(new Attempt(name, method, uri, null, null));
    for (Raw body : BODIES) {
      attempts.add(new Attempt(name, method, uri, body.contentType, Buffer.buffer(body.body)));
    }
    if (valid != null) {
      attempts.add(new Attempt(name, method, uri, "text/plain", validBody));
      for (String field : schema.getJsonObject("properties", new JsonObject()).fieldNames()) {
        JsonObject without = valid.copy();
        without.remove(field);
        attempts.add(new Attempt(name, method, uri, validType, without.toBuffer(), false));
        attempts.add(new Attempt(name, method, uri, validType, valid.copy().putNull(field).toBuffer(), false));
        for (Object value : FIELD_VALUES) {
          attempts.add(new Attempt(name, method, uri, validType, valid.copy().put(field, value).toBuffer(), false));
        }
      }
      attempts.add(new Attempt(name, method, uri, validType, valid.copy().put("unknown", "x").toBuffer()));
      attempts.add(new Attempt(name, method, uri, validType, valid.copy().put("actor",
        new JsonObject().put("role", "FACILITATOR").put("id", "someone")).toBuffer()));
    }
    if (UPLOAD_OPERATIONS.contains(name)) {
      attempts.add(new Attempt(name, method, uri, "multipart/form-data; boundary=zz", Buffer.buffer(
        "--zz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" + "t".repeat(10_000) + "\r\n"
          + "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + "n".repeat(10_000) + ".txt\"\r\n"
          + "Content-Type: text/plain\r\n\r\nhello\r\n--zz--\r\n")));
    }
    return attempts;
  }

  private static Attempt oversized(Operation operation, String codelabId) {
    List<Parameter> pathParameters = operation.getParameters().stream().filter(p -> p.getIn() == Location.PATH).toList();
    Buffer body = new JsonObject().put("text", "x".repeat((int) BODY_LIMIT + 1_024)).toBuffer();
    return new Attempt(operation.getOperationId(), operation.getHttpMethod(),
      path(operation, pathParameters, codelabId, null, null), "application/json", body);
  }

  /** The operation's path with valid values, except the one parameter given a malformed (already encoded) value. */
  private static String path(Operation operation, List<Parameter> parameters, String codelabId, String malformed,
                             String value) {
    String path = operation.getOpenAPIPath();
    for (Parameter parameter : parameters) {
      String name = parameter.getName();
      String replacement = name.equals(malformed) ? value : switch (name) {
        case "codelabId" -> codelabId;
        case "position" -> "0";
        case "shortCode" -> "abcd1234";
        default -> "id-1";
      };
      path = path.replace("{" + name + "}", replacement);
    }
    return path;
  }

  private static JsonObject bodySchema(JsonObject raw, Operation operation) {
    JsonObject content = raw.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
      .getJsonObject(operation.getHttpMethod().name().toLowerCase(Locale.ROOT))
      .getJsonObject("requestBody", new JsonObject()).getJsonObject("content", new JsonObject());
    JsonObject json = content.getJsonObject("application/json");
    return json == null ? null : resolve(raw, json.getJsonObject("schema"));
  }

  /** Every declared field with a value its schema accepts, so that malformed ones reach as deep as they can. */
  private static JsonObject validBody(JsonObject raw, JsonObject schema) {
    JsonObject body = new JsonObject();
    schema.getJsonObject("properties", new JsonObject()).forEach(property ->
      body.put(property.getKey(), sample(raw, (JsonObject) property.getValue(), property.getKey())));
    return body;
  }

  private static Object sample(JsonObject raw, JsonObject schema, String name) {
    JsonObject resolved = resolve(raw, schema);
    if (resolved.containsKey("enum")) {
      return resolved.getJsonArray("enum").getValue(0);
    }
    Object type = resolved.getValue("type");
    String first = type instanceof JsonArray types ? types.getString(0) : (String) type;
    return switch (first == null ? "string" : first) {
      case "integer", "number" -> resolved.getInteger("minimum", 0);
      case "boolean" -> false;
      case "array" -> new JsonArray();
      case "object" -> new JsonObject();
      default -> name.equals("url") ? "https://example.org/fuzz" : "abcd1234efgh5678";
    };
  }

  private static JsonObject resolve(JsonObject raw, JsonObject schema) {
    String ref = schema.getString("$ref");
    if (ref == null) {
      return schema;
    }
    JsonObject node = raw;
    for (String part : ref.substring(2).split("/")) {
      node = node.getJsonObject(part);
    }
    return resolve(raw, node);
  }
}

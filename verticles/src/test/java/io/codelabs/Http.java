package io.codelabs;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A small REST client for tests: one call, one awaited response, JSON in and out. */
public final class Http {
  private final WebClient client;

  public record Response(int status, JsonObject json, String text, MultiMap headers) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  public Http(Vertx vertx, int port) {
    this(vertx, port, new PoolOptions());
  }

  /** At most this many connections, reused one request after another, so a test knows how many the server counts. */
  public Http(Vertx vertx, int port, int maxConnections) {
    this(vertx, port, new PoolOptions().setHttp1MaxSize(maxConnections));
  }

  private Http(Vertx vertx, int port, PoolOptions pool) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setFollowRedirects(false), pool);
  }

  public Response get(String path, String token) {
    return send(HttpMethod.GET, path, token, null, MultiMap.caseInsensitiveMultiMap());
  }

  public Response post(String path, String token, JsonObject body) {
    return send(HttpMethod.POST, path, token, body, MultiMap.caseInsensitiveMultiMap());
  }

  public Response put(String path, String token, JsonObject body) {
    return send(HttpMethod.PUT, path, token, body, MultiMap.caseInsensitiveMultiMap());
  }

  public Response patch(String path, String token, JsonObject body) {
    return send(HttpMethod.PATCH, path, token, body, MultiMap.caseInsensitiveMultiMap());
  }

  public Response delete(String path, String token) {
    return send(HttpMethod.DELETE, path, token, null, MultiMap.caseInsensitiveMultiMap());
  }

  public Response send(HttpMethod method, String path, String token, JsonObject body, MultiMap headers) {
    HttpRequest<Buffer> request = client.request(method, path).putHeaders(headers);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    HttpResponse<Buffer> response = (body == null ? request.send() : request.sendJsonObject(body)).await();
    String text = response.bodyAsString();
    JsonObject json = text != null && text.startsWith("{") ? new JsonObject(text) : null;
    return new Response(response.statusCode(), json, text, response.headers());
  }

  /** A facilitator's bearer token. */
  public String login(String username, String password) {
    Response response = post("/api/auth/login", null, new JsonObject()
      .put("username", username).put("password", password).put("delivery", "bearer"));
    if (response.status() != 200) {
      throw new IllegalStateException("Login failed: " + response.text());
    }
    return response.json().getString("token");
  }

  /** Joins (or resumes) with bearer delivery; the answer holds token and attendee. */
  public JsonObject join(String codelabId, String nickname, String code) {
    Response response = post("/api/codelabs/" + codelabId + "/attendees", null, new JsonObject()
      .put("nickname", nickname).put("personalCode", code).put("delivery", "bearer"));
    if (response.status() != 201 && response.status() != 200) {
      throw new IllegalStateException("Join failed: " + response.text());
    }
    return response.json();
  }

  public String createCodelab(String token, JsonObject codelab) {
    Response response = post("/api/codelabs", token, codelab);
    if (response.status() != 201) {
      throw new IllegalStateException("Create failed: " + response.text());
    }
    return response.json().getString("id");
  }

  public void close() {
    client.close();
  }
}

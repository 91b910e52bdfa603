package io.codelabs.uploads;

import io.codelabs.Http;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** Multipart uploads written byte by byte, so tests control names, sizes and framing exactly. */
public final class UploadClient {
  private static final String BOUNDARY = "codelabs-test-boundary-7d41";

  private final HttpClient client;
  private final int port;

  public record Download(int status, MultiMap headers, Buffer body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  public UploadClient(Vertx vertx, int port) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
      new PoolOptions().setHttp1MaxSize(32));
    this.port = port;
  }

  public static Buffer form(String fileName, byte[] content, String title) {
    Buffer body = Buffer.buffer();
    if (title != null) {
      body.appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" + title + "\r\n");
    }
    body.appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"",
        StandardCharsets.UTF_8.name())
      .appendBytes(fileName.getBytes(StandardCharsets.UTF_8))
      .appendString("\"\r\nContent-Type: application/octet-stream\r\n\r\n")
      .appendBytes(content)
      .appendString("\r\n--" + BOUNDARY + "--\r\n");
    return body;
  }

  public Http.Response upload(String path, String token, String fileName, byte[] content) {
    return send(path, token, form(fileName, content, null), false);
  }

  public Http.Response upload(String path, String token, String fileName, byte[] content, String title) {
    return send(path, token, form(fileName, content, title), false);
  }

  /** Without a Content-Length, so only the server's count while reading can stop it. */
  public Http.Response uploadChunked(String path, String token, String fileName, byte[] content) {
    return send(path, token, form(fileName, content, null), true);
  }

  public Http.Response send(String path, String token, Buffer body, boolean chunked) {
    return sendAsync(path, token, body, chunked).await();
  }

  public Future<Http.Response> sendAsync(String path, String token, Buffer body, boolean chunked) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)).compose(request -> {
      request.putHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
      if (token != null) {
        request.putHeader("Authorization", "Bearer " + token);
      }
      request.setChunked(chunked);
      return request.send(body).compose(response -> response.body().map(bytes -> response(response, bytes)));
    });
  }

  public Future<Integer> get(String path) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path))
      .compose(request -> request.send().compose(response -> response.body().map(bytes -> response.statusCode())));
  }

  public Download download(String path, String token) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path)).compose(request -> {
      if (token != null) {
        request.putHeader("Authorization", "Bearer " + token);
      }
      return request.send().compose(response -> response.body()
        .map(bytes -> new Download(response.statusCode(), response.headers(), bytes)));
    }).await();
  }

  public int port() {
    return port;
  }

  public void close() {
    client.close().await();
  }

  private static Http.Response response(HttpClientResponse response, Buffer bytes) {
    String text = bytes.toString();
    JsonObject json = text.startsWith("{") ? new JsonObject(text) : null;
    return new Http.Response(response.statusCode(), json, text, response.headers());
  }
}

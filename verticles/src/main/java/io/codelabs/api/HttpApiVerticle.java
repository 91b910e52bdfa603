package io.codelabs.api;

import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.Tokens;
import io.codelabs.uploads.Storage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API from {@code openapi/openapi.yaml}, the browser app, Swagger UI and health checks.
 * Holds no state that matters: every read and write is a bus request to the persistence verticle.
 */
public final class HttpApiVerticle extends VerticleBase {
  public static final String PORT = "http.port";
  public static final String HOST = "http.host";
  public static final String PUBLIC_URL = "publicUrl";
  public static final String MAX_HASHING = "hashing.maxInFlight";
  public static final String REALTIME_URL = "realtimeUrl";
  /** The node's roles, as the node configuration gives them to every verticle. */
  public static final String ROLES = "roles";

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
  private static final String CONTRACT = "openapi/openapi.yaml";
  private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.34.1";
  /** Served from here, never a CDN: venues are often offline. */
  /** Paths the browser app routes itself; the server answers them with the app's page. */
  private static final String APP_PAGES = "/(c/[^/]+|facilitator(/.*)?)";
  /** Built assets carry a content hash in their names, so they never change under one name. */
  private static final long IMMUTABLE_SECONDS = 365L * 24 * 3600;
  /** Pages run only the app's own scripts: no inline script, no plug-ins, no framing. */
  private static final String PAGE_POLICY = "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  private static final String SOCKJS_CLIENT = "META-INF/resources/webjars/sockjs-client/1.6.1/dist";
  private static final long BODY_LIMIT = 8L * 1024 * 1024;
  private static final Set<HttpMethod> FORM_READING_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
    HttpMethod.DELETE);

  private BusClient bus;
  private WorkerExecutor hashing;
  private final AtomicInteger hashingInFlight = new AtomicInteger();
  private volatile Auth auth;
  private HttpServer server;
  private Storage storage;
  private FileRoutes files;

  @Override
  public Future<?> start() {
    bus = new BusClient(vertx, config().getLong(BusClient.TIMEOUT_KEY, BusClient.DEFAULT_TIMEOUT_MS));
    hashing = vertx.createSharedWorkerExecutor("codelabs-hashing", 2);
    storage = Storage.create(vertx, config());
    files = new FileRoutes(vertx, this, config(), storage);
    Future<Buffer> contractText = vertx.fileSystem().readFile(CONTRACT);
    return Tokens.keepLoading(vertx, bus, tokens ->
        auth = new Auth(tokens, config().getString(PUBLIC_URL, "").startsWith("https:")))
      .compose(attempted -> files.prepare())
      .compose(prepared -> OpenAPIContract.from(vertx, CONTRACT))
      .compose(contract -> contractText.map(text -> router(contract, text)))
      .compose(router -> vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
        .requestHandler(router)
        .listen(config().getInteger(PORT, 8080), config().getString(HOST, "0.0.0.0")))
      .onSuccess(listening -> {
        server = listening;
        LOG.info("HTTP API listening on port {}", listening.actualPort());
      });
  }

  public int actualPort() {
    return server.actualPort();
  }

  private Router router(OpenAPIContract contract, Buffer contractText) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler((PlatformHandler) HttpApiVerticle::refuseFormWithoutBody);
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    builder.rootHandler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "same-origin");
      ctx.next();
    });
    new ApiRoutes(this).mount(builder);
    files.mount(builder);
    builder.getRoutes().forEach(route -> route.addFailureHandler(Problems::failed));
    Router router = builder.createRouter();
    files.mountIntake(router);
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(contractText));
    router.getWithRegex("/docs").handler(ctx -> ctx.redirect("/docs/"));
    router.get("/docs/swagger-initializer.js").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/javascript")
      .end("window.onload = () => { window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#swagger-ui', "
        + "presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' }); };"));
    router.route("/docs/*").handler(StaticHandler.create(SWAGGER_UI));
    router.route("/vendor/sockjs/*").handler(StaticHandler.create(SOCKJS_CLIENT));
    router.route("/api/*").handler(ctx -> Problems.send(ctx, ErrorCode.NOT_FOUND, "No such API route"));
    router.route().handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", PAGE_POLICY);
      ctx.next();
    });
    router.getWithRegex(APP_PAGES).handler(ctx -> ctx.reroute("/index.html"));
    router.route("/assets/*").handler(StaticHandler.create("webroot").setCachingEnabled(true)
      .setMaxAgeSeconds(IMMUTABLE_SECONDS));
    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().handler(ctx -> Problems.send(ctx, ErrorCode.NOT_FOUND, "Nothing here"));
    router.route().failureHandler(Problems::failed);
    return router;
  }

  /** Runs before the body handler, which throws on a form sent with a method it decodes no form for. */
  private static void refuseFormWithoutBody(RoutingContext ctx) {
    String type = String.valueOf(ctx.request().getHeader("Content-Type")).toLowerCase(Locale.ROOT);
    boolean form = type.startsWith("multipart/") || type.startsWith("application/x-www-form-urlencoded");
    if (form && !FORM_READING_METHODS.contains(ctx.request().method())) {
      Problems.send(ctx, ErrorCode.UNSUPPORTED_TYPE, ctx.request().method() + " takes no form body");
    } else {
      ctx.next();
    }
  }

  BusClient bus() {
    return bus;
  }

  Future<Auth> auth() {
    Auth current = auth;
    return current != null ? Future.succeededFuture(current)
      : Future.failedFuture(ErrorCode.BUSY.failure("Starting up, retry shortly"));
  }

  boolean ready() {
    return auth != null;
  }

  /** This node's id and its place among writers: the writer, a standby that may take over, or an edge node. */
  JsonObject seat(JsonObject writerStatus) {
    String nodeId = config().getString(BusClient.NODE_ID_KEY, "");
    boolean core = Arrays.stream(config().getString(ROLES, "").split(",")).map(String::strip)
      .anyMatch("persistence"::equalsIgnoreCase);
    String seat = nodeId.equals(writerStatus.getString("node")) ? "writer" : core ? "standby" : "edge";
    return new JsonObject().put("id", nodeId).put("seat", seat);
  }

  /** Password and code hashing, bounded so a join storm queues a little and then says busy. */
  <T> Future<T> hash(Callable<T> work) {
    if (hashingInFlight.incrementAndGet() > config().getInteger(MAX_HASHING, 256)) {
      hashingInFlight.decrementAndGet();
      return Future.failedFuture(ErrorCode.BUSY.failure("Too many sign-ins at once, retry shortly"));
    }
    return hashing.executeBlocking(work, false).onComplete(done -> hashingInFlight.decrementAndGet());
  }

  Future<JsonArray> renderSteps(JsonArray steps) {
    return vertx.executeBlocking(() -> {
      JsonArray rendered = new JsonArray();
      steps.stream().map(JsonObject.class::cast).forEach(step -> rendered.add(step.copy()
        .put("html", Markdown.toSafeHtml(step.getString("markdown")))
        .put("durationMinutes", step.getInteger("durationMinutes", 5))));
      return rendered;
    }, false);
  }

  Future<String> render(String markdown) {
    return vertx.executeBlocking(() -> Markdown.toSafeHtml(markdown), false);
  }

  /** Where browsers open their realtime socket: configured, or this host on the bridge's port. */
  String realtimeUrl(RoutingContext ctx) {
    String configured = config().getString(REALTIME_URL, "");
    if (!configured.isEmpty()) {
      return configured;
    }
    String host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().host();
    return ctx.request().scheme() + "://" + host + ":" + config().getInteger(BridgeVerticle.PORT, 8081) + BridgeVerticle.PATH;
  }

  static JsonArray catalogue() {
    return new JsonArray(Arrays.stream(Address.values()).map(Address::describe).toList());
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
      .end(body instanceof JsonObject object ? object.encode() : ((JsonArray) body).encode());
  }

  @Override
  public Future<?> stop() {
    storage.close();
    return hashing.close();
  }
}

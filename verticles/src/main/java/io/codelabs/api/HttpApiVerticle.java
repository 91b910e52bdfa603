package io.codelabs.api;

import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.RestContract;
import io.codelabs.bus.SharedConfig;
import io.codelabs.connections.ConnectionGuard;
import io.codelabs.connections.ConnectionLimits;
import io.codelabs.markdown.Markdown;
import io.codelabs.storage.Storage;
import io.codelabs.tokens.ApiKeys;
import io.codelabs.tokens.Revocations;
import io.codelabs.tokens.Tokens;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
  public static final String PUBLIC_URL = SharedConfig.PUBLIC_URL;
  public static final String MAX_HASHING = "hashing.maxInFlight";
  public static final String REALTIME_URL = "realtimeUrl";
  public static final String TRUST_FORWARDED_FOR = "http.trustForwardedFor";
  /** The node's roles, as the node configuration gives them to every verticle. */
  public static final String ROLES = "roles";
  /** Prefix of this server's connection limits, see {@link ConnectionLimits}. */
  public static final String LIMITS = "http.";

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);
  private static final String REALTIME_CONTRACT = "openapi/asyncapi.yaml";
  /** Swagger UI on the REST contract, under a bar that leads to the realtime (AsyncAPI) contract's page. */
  private static final String SWAGGER_INITIALIZER = """
    window.onload = () => {
      window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#swagger-ui',
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
      const realtime = document.createElement('a');
      realtime.href = '/docs/asyncapi';
      realtime.id = 'asyncapi-link';
      realtime.textContent = 'Realtime contract (AsyncAPI 3.0): channels, events, commands \u2192';
      realtime.style.cssText = 'display:block;padding:10px 20px;background:#1b1b1b;color:#fff;'
        + 'font:600 14px sans-serif;text-align:right;text-decoration:none';
      document.body.prepend(realtime);
    };
    """;
  private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.34.1";
  /** Served from here, never a CDN: venues are often offline. */
  /** Paths the browser app routes itself; the server answers them with the app's page. */
  private static final String APP_PAGES = "/(facilitator(/.*)?|verify/[^/]+|certificate/[^/]+|docs/asyncapi)/?";
  /** An attendee's addresses: the codelab, one of its steps (counted from 1), the completion screen and two tabs. */
  private static final String ATTENDEE_PAGES = "/c/([^/]+)(/(step/[0-9]{1,4}|done|materials|hand-in))?/?";
  /** Built assets carry a content hash in their names, so they never change under one name. */
  private static final long IMMUTABLE_SECONDS = 365L * 24 * 3600;
  /**
   * Every response runs only this node's own scripts: no inline script, no plug-ins, no framing. Inline styles
   * stay allowed (the app and Swagger UI set style attributes); the realtime bridge may sit on another port.
   */
  private static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    + "img-src 'self' data: blob:; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
    + "frame-ancestors 'none'; form-action 'self'";
  private static final long HSTS_SECONDS = 365L * 24 * 3600;
  private static final String SOCKJS_CLIENT = "META-INF/resources/webjars/sockjs-client/1.6.1/dist";
  private static final long BODY_LIMIT = 8L * 1024 * 1024;
  private static final Set<HttpMethod> FORM_READING_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
    HttpMethod.DELETE);

  private BusClient bus;
  private WorkerExecutor hashing;
  private final AtomicInteger hashingInFlight = new AtomicInteger();
  private volatile Auth auth;
  private HttpServer server;
  private URI publicUrl;
  private Storage storage;
  private FileRoutes files;
  private CertificateRoutes certificates;
  private WebhookRoutes webhooks;

  @Override
  public Future<?> start() {
    bus = new BusClient(vertx, config().getLong(BusClient.TIMEOUT_KEY));
    String configuredPublicUrl = config().getString(PUBLIC_URL);
    publicUrl = configuredPublicUrl.isBlank() ? null : URI.create(configuredPublicUrl);
    hashing = vertx.createSharedWorkerExecutor("codelabs-hashing", 2);
    storage = Storage.create(vertx, config());
    files = new FileRoutes(vertx, this, config(), storage);
    certificates = new CertificateRoutes(vertx, this, config());
    webhooks = new WebhookRoutes(vertx, this, config());
    Future<Buffer> contractText = vertx.fileSystem().readFile(RestContract.PATH);
    Future<Buffer> realtimeContractText = vertx.fileSystem().readFile(REALTIME_CONTRACT);
    Revocations revocations = new Revocations(config().getInteger(Tokens.MAX_REVOKED));
    return revocations.follow(vertx, changed -> { })
      .compose(following -> Tokens.keepLoading(vertx, bus, revocations, config().getInteger(ApiKeys.CACHE_SIZE), tokens ->
        auth = new Auth(tokens, config().getString(PUBLIC_URL).startsWith("https:"))))
      .compose(attempted -> files.prepare())
      .compose(prepared -> RestContract.load(vertx))
      .compose(contract -> Future.all(contractText, realtimeContractText)
        .map(read -> router(contract, contractText.result(), realtimeContractText.result())))
      .compose(router -> {
        ConnectionGuard guard = new ConnectionGuard(vertx, "api",
          ConnectionLimits.read(config(), LIMITS, ConnectionLimits.API), FileRoutes::isUpload);
        return guard.install(vertx.createHttpServer(guard.options(new HttpServerOptions().setCompressionSupported(true)
          .setMaxFormFields(FileRoutes.MAX_FORM_FIELDS).setMaxFormAttributeSize(FileRoutes.MAX_FORM_FIELD_BYTES))),
          router).listen(config().getInteger(PORT), config().getString(HOST));
      })
      .onSuccess(listening -> {
        server = listening;
        vertx.sharedData().getLocalMap(SharedConfig.API_PORTS).put(listening.actualPort(), true);
        LOG.info("HTTP API listening on port {}", listening.actualPort());
      });
  }

  public int actualPort() {
    return server.actualPort();
  }

  private Router router(OpenAPIContract contract, Buffer contractText, Buffer realtimeContractText) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler((PlatformHandler) HttpApiVerticle::refuseFormWithoutBody);
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    new ApiRoutes(this).mount(builder);
    new AuditRoutes(this).mount(builder);
    new ApiKeyRoutes(this).mount(builder);
    builder.getRoute("openShortLink").addFailureHandler(HttpApiVerticle::mistypedShortLink);
    files.mount(builder);
    certificates.mount(builder);
    webhooks.mount(builder);
    builder.getRoutes().forEach(route -> route.addFailureHandler(Problems::failed));
    Router router = builder.createRouter();
    router.route().order(-10).handler(this::securityHeaders);
    files.mountIntake(router);
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(contractText));
    router.get("/asyncapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml")
      .end(realtimeContractText));
    router.getWithRegex("/docs").handler(ctx -> ctx.redirect("/docs/"));
    router.get("/docs/swagger-initializer.js").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/javascript")
      .end(SWAGGER_INITIALIZER));
    router.route("/docs/*").handler(StaticHandler.create(SWAGGER_UI));
    router.route("/vendor/sockjs/*").handler(StaticHandler.create(SOCKJS_CLIENT));
    router.route("/api/*").handler(ctx -> Problems.send(ctx, ErrorCode.NOT_FOUND, "No such API route"));
    router.getWithRegex(APP_PAGES).handler(ctx -> ctx.reroute("/index.html"));
    router.getWithRegex(ATTENDEE_PAGES).handler(this::attendeePage);
    router.route("/assets/*").handler(StaticHandler.create("webroot").setCachingEnabled(true)
      .setMaxAgeSeconds(IMMUTABLE_SECONDS));
    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route().handler(ctx -> {
      if (AppPages.wanted(ctx)) {
        AppPages.notFound(ctx);
      } else {
        Problems.send(ctx, ErrorCode.NOT_FOUND, "Nothing here");
      }
    });
    router.route().failureHandler(Problems::failed);
    return router;
  }

  /** Nothing a signed-in person was sent is kept by a browser or proxy cache: every API answer is no-store. */
  private void securityHeaders(RoutingContext ctx) {
    HttpServerResponse response = ctx.response()
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "same-origin")
      .putHeader("Content-Security-Policy", pagePolicy(ctx));
    if (publicUrl != null && "https".equals(publicUrl.getScheme())) {
      response.putHeader("Strict-Transport-Security", "max-age=" + HSTS_SECONDS);
    }
    if (ctx.request().path().startsWith("/api/")) {
      response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }
    ctx.next();
  }

  /**
   * The page policy, letting pages reach the realtime bridge's origin (its SockJS transports use XHR, WebSocket and an
   * iframe) and frame the allow-listed embeds of steps.
   */
  private String pagePolicy(RoutingContext ctx) {
    URI realtime = URI.create(realtimeUrl(ctx));
    String origin = realtime.getScheme() + "://" + realtime.getRawAuthority();
    String socketOrigin = (realtime.getScheme().equals("https") ? "wss" : "ws") + "://" + realtime.getRawAuthority();
    return PAGE_POLICY + "; connect-src 'self' " + origin + " " + socketOrigin + "; frame-src " + origin + " "
      + String.join(" ", Markdown.FRAME_ORIGINS);
  }

  /**
   * The app's page, with 404 for a codelab that does not exist. When the codelab cannot be looked up now, the page is
   * served all the same: the app asks again and says what it finds.
   */
  private void attendeePage(RoutingContext ctx) {
    // The server refuses a path with broken percent-escapes before any route sees it.
    String codelabId = URLDecoder.decode(ctx.request().path().split("/")[2].replace("+", "%2B"), StandardCharsets.UTF_8);
    bus.request(Address.CODELAB_GET, null, new JsonObject().put("codelabId", codelabId)).onComplete(
      found -> ctx.reroute("/index.html"),
      failure -> {
        if (failure instanceof ReplyException reply && reply.failureCode() == ErrorCode.NOT_FOUND.code) {
          AppPages.notFound(ctx);
        } else {
          ctx.reroute("/index.html");
        }
      });
  }

  /** A short link that cannot be one (too short, a stray character) is, to the person who typed it, one that leads nowhere. */
  private static void mistypedShortLink(RoutingContext ctx) {
    int status = ctx.failure() instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    if (status == 400 && AppPages.wanted(ctx)) {
      AppPages.notFound(ctx);
    } else {
      ctx.next();
    }
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
    boolean core = Arrays.stream(config().getString(ROLES).split(",")).map(String::strip)
      .anyMatch("persistence"::equalsIgnoreCase);
    String seat = nodeId.equals(writerStatus.getString("node")) ? "writer" : core ? "standby" : "edge";
    return new JsonObject().put("id", nodeId).put("seat", seat);
  }

  /** Password and code hashing, bounded so a join storm queues a little and then says busy. */
  <T> Future<T> hash(Callable<T> work) {
    if (hashingInFlight.incrementAndGet() > config().getInteger(MAX_HASHING)) {
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

  /** Every question's prompt rendered to promptHtml; whatever promptHtml was sent is replaced. */
  Future<JsonArray> renderQuizzes(JsonArray quizzes) {
    return vertx.executeBlocking(() -> {
      JsonArray rendered = quizzes.copy();
      rendered.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .flatMap(quiz -> quiz.getJsonArray("questions", new JsonArray()).stream())
        .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .forEach(question -> question.put("promptHtml", Markdown.toSafeHtml(question.getString("prompt", ""))));
      return rendered;
    }, false);
  }

  Future<String> render(String markdown) {
    return vertx.executeBlocking(() -> Markdown.toSafeHtml(markdown), false);
  }

  /**
   * The address a request came from, as brute-force limits count it. Behind a reverse proxy, the
   * last X-Forwarded-For entry: the one the proxy itself appended; earlier ones are the client's word.
   */
  String source(RoutingContext ctx) {
    String forwarded = config().getBoolean(TRUST_FORWARDED_FOR) ? ctx.request().getHeader("X-Forwarded-For") : null;
    if (forwarded != null && !forwarded.isBlank()) {
      String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
      if (!last.isEmpty()) {
        return last.length() > 100 ? last.substring(0, 100) : last;
      }
    }
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }

  /**
   * Where browsers open their realtime socket: configured; else the bridge's port on the public URL's host with its
   * scheme (behind a TLS proxy the request itself arrives as plain http); else on the host this request came to.
   */
  String realtimeUrl(RoutingContext ctx) {
    String configured = config().getString(REALTIME_URL);
    if (!configured.isEmpty()) {
      return configured;
    }
    String scheme = publicUrl != null ? publicUrl.getScheme() : ctx.request().scheme();
    String host = publicUrl != null ? publicUrl.getHost()
      : ctx.request().authority() == null ? "localhost" : ctx.request().authority().host();
    String literalHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return scheme + "://" + literalHost + ":" + config().getInteger(SharedConfig.BRIDGE_PORT) + SharedConfig.BRIDGE_PATH;
  }

  /**
   * The origin certificates' verify URLs and credential ids start with: the configured public URL, else the one this
   * request came to (then set the public URL in production, or ids follow whatever Host a client sends).
   */
  String publicBase(RoutingContext ctx) {
    if (publicUrl != null) {
      String configured = publicUrl.toString();
      return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    }
    String host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().host();
    int port = ctx.request().authority() == null ? -1 : ctx.request().authority().port();
    String literalHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return ctx.request().scheme() + "://" + literalHost + (port > 0 ? ":" + port : "");
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

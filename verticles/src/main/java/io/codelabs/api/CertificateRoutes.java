package io.codelabs.api;

import io.codelabs.api.Auth.Need;
import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import io.codelabs.bus.BusClient;
import io.codelabs.bus.ErrorCode;
import io.codelabs.credentials.Award;
import io.codelabs.credentials.CertificatePdf;
import io.codelabs.credentials.CredentialsConfig;
import io.codelabs.credentials.InstanceKey;
import io.codelabs.credentials.OpenBadge;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Certificates (issue, verify, PDF, signed credential, revoke), the issuer's published key, and raffles. */
final class CertificateRoutes {
  /** PDFs a node renders at once (each parses the font and takes a core for a moment); past it 503. */
  private static final int MAX_RENDERING = 4;
  /** The suffix that asks for a certificate as a PDF: a path segment cannot end in a literal after its parameter. */
  private static final String PDF = ".pdf";

  private static final Logger LOG = LoggerFactory.getLogger(CertificateRoutes.class);

  private final Vertx vertx;
  private final HttpApiVerticle api;
  private final BusClient bus;
  private final CertificatePdf pdf;
  private final String issuerName;
  private final AtomicInteger rendering = new AtomicInteger();

  CertificateRoutes(Vertx vertx, HttpApiVerticle api, JsonObject config) {
    this.vertx = vertx;
    this.api = api;
    this.bus = api.bus();
    this.pdf = CertificatePdf.withFont(config.getString(CredentialsConfig.FONT));
    pdf.font().ifPresentOrElse(font -> LOG.debug("Certificate PDFs print with {}", font),
      () -> LOG.warn("No font with Hangul found (install fonts-nanum or set {}): certificate PDFs print Latin only",
        CredentialsConfig.FONT));
    this.issuerName = config.getString(CredentialsConfig.ISSUER_NAME);
  }

  void mount(RouterBuilder builder) {
    on(builder, "issueCertificate", ctx -> caller(ctx, Need.ATTENDEE)
      .compose(actor -> bus.request(Address.CERTIFICATE_ISSUE, actor, ApiRoutes.requestBody(ctx)))
      .onComplete(reply -> HttpApiVerticle.json(ctx, Boolean.TRUE.equals(reply.remove("duplicate")) ? 200 : 201, reply),
        failure -> Problems.send(ctx, failure)));
    on(builder, "getMyCertificate", ctx -> ApiRoutes.respond(ctx, 200, caller(ctx, Need.ATTENDEE)
      .compose(actor -> bus.request(Address.CERTIFICATE_GET, actor, ApiRoutes.requestBody(ctx)))
      .map(reply -> reply.getJsonObject("certificate"))));
    on(builder, "listCertificates", ctx -> forward(ctx, Need.FACILITATOR, Address.CERTIFICATE_LIST, 200));
    on(builder, "revokeCertificate", ctx -> forward(ctx, Need.FACILITATOR, Address.CERTIFICATE_REVOKE, 200));
    on(builder, "getCertificate", ctx -> {
      String requested = ctx.pathParam("certificateId");
      if (requested.endsWith(PDF)) {
        certificatePdf(ctx, requested.substring(0, requested.length() - PDF.length()));
      } else {
        ApiRoutes.respond(ctx, 200, certificate(requested));
      }
    });
    on(builder, "getCredential", this::credential);
    on(builder, "getIssuerKeys", ctx -> bus.request(Address.CREDENTIAL_KEYS, new JsonObject()).onComplete(
      keys -> ctx.response().putHeader("Content-Type", "application/jwk-set+json").end(keys.getJsonObject("jwks").encode()),
      failure -> Problems.send(ctx, failure)));
    on(builder, "getIssuer", ctx -> ApiRoutes.respond(ctx, 200, bus.request(Address.CREDENTIAL_KEYS, new JsonObject())
      .map(keys -> OpenBadge.issuerProfile(api.publicBase(ctx), issuerName, keys.getJsonObject("jwk")))));
    on(builder, "drawRaffle", ctx -> forward(ctx, Need.FACILITATOR, Address.RAFFLE_DRAW, 201));
    on(builder, "listRaffles", ctx -> forward(ctx, Need.FACILITATOR, Address.RAFFLE_LIST, 200));
  }

  /** Public: whoever holds the unguessable id, as the QR code on the certificate gives it. */
  private Future<JsonObject> certificate(String certificateId) {
    return bus.request(Address.CERTIFICATE_GET, new JsonObject().put("certificateId", certificateId))
      .map(reply -> reply.getJsonObject("certificate"));
  }

  private void certificatePdf(RoutingContext ctx, String certificateId) {
    certificate(certificateId).compose(certificate -> {
      if (rendering.incrementAndGet() > MAX_RENDERING) {
        rendering.decrementAndGet();
        return Future.failedFuture(ErrorCode.BUSY.failure("Too many certificates printing at once, retry shortly"));
      }
      String verifyUrl = api.publicBase(ctx) + Award.verifyPath(certificate.getString("id"));
      return vertx.executeBlocking(() -> pdf.render(certificate, verifyUrl), false)
        .onComplete(done -> rendering.decrementAndGet());
    }).onComplete(bytes -> ctx.response()
        .putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", "inline; filename=\"certificate-" + certificateId + PDF + "\"")
        .end(Buffer.buffer(bytes)),
      failure -> Problems.send(ctx, failure));
  }

  /** The VC-JWT by default; the credential it secures as JSON with {@code ?format=json}. */
  private void credential(RoutingContext ctx) {
    boolean json = "json".equals(ctx.queryParams().get("format"));
    bus.request(Address.CERTIFICATE_CREDENTIAL, new JsonObject()
        .put("certificateId", ctx.pathParam("certificateId")).put("baseUrl", api.publicBase(ctx)))
      .onComplete(signed -> {
        if (json) {
          HttpApiVerticle.json(ctx, 200, signed.getJsonObject("credential"));
        } else {
          ctx.response().putHeader("Content-Type", InstanceKey.MEDIA_TYPE).end(signed.getString("jwt"));
        }
      }, failure -> Problems.send(ctx, failure));
  }

  private void forward(RoutingContext ctx, Need need, Address address, int status) {
    ApiRoutes.respond(ctx, status, caller(ctx, need)
      .compose(actor -> bus.request(address, actor, ApiRoutes.requestBody(ctx))));
  }

  private Future<Actor> caller(RoutingContext ctx, Need need) {
    return api.auth().compose(auth -> auth.caller(ctx, need));
  }

  private static void on(RouterBuilder builder, String operationId, Handler<RoutingContext> handler) {
    builder.getRoute(operationId).addHandler(handler);
  }
}

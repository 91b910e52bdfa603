package io.codelabs.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.openapi.contract.OpenAPIContract;

/**
 * The REST contract, {@value #PATH}, loaded once per Vert.x instance: every HTTP API instance routes by it and the
 * bridge checks socket commands by the same rules. A loaded contract holds the document and its 2,000-odd schemas,
 * about 2 MB, and nothing in it changes once loaded; each schema's validator is made once ({@link KeptValidators}).
 */
public final class RestContract {
  public static final String PATH = "openapi/openapi.yaml";
  private static final String SHARED = "codelabs.restContract";

  private record Loaded(Future<OpenAPIContract> contract) implements Shareable {
  }

  private RestContract() {
  }

  /** Completes on the caller's context, whichever caller started the load. */
  public static Future<OpenAPIContract> load(Vertx vertx) {
    Context caller = vertx.getOrCreateContext();
    Future<OpenAPIContract> loaded = vertx.sharedData().<String, Loaded>getLocalMap(SHARED)
      .computeIfAbsent(PATH, path -> new Loaded(OpenAPIContract.from(vertx, path).map(KeptValidators::new))).contract();
    return Future.fromCompletionStage(loaded.toCompletionStage(), caller);
  }
}

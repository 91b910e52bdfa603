package io.codelabs.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.Validator;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("The REST contract")
@ExtendWith(VertxExtension.class)
class RestContractTest {

  @Test
  @DisplayName("is loaded once per Vert.x instance and handed to each caller on its own context")
  void loadedOncePerInstance(Vertx vertx, VertxTestContext testContext) {
    Checkpoint sharedWithinInstance = testContext.checkpoint();
    Checkpoint ownPerInstance = testContext.checkpoint();
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();
    Future<Loaded> fromFirst = loadOn(vertx, first);
    Future<Loaded> fromSecond = loadOn(vertx, second);
    Vertx other = Vertx.vertx();
    Future.all(fromFirst, fromSecond).compose(both -> loadOn(other, other.getOrCreateContext())
        .onSuccess(elsewhere -> testContext.verify(() -> {
          assertThat(elsewhere.contract()).isNotSameAs(fromFirst.result().contract());
          ownPerInstance.flag();
        })))
      .onSuccess(elsewhere -> testContext.verify(() -> {
        assertThat(fromSecond.result().contract()).isSameAs(fromFirst.result().contract());
        assertThat(fromFirst.result().completedOn()).isSameAs(first);
        assertThat(fromSecond.result().completedOn()).isSameAs(second);
        sharedWithinInstance.flag();
      }))
      .onFailure(testContext::failNow)
      .onComplete(done -> other.close());
  }

  @Test
  @DisplayName("makes each schema's validator once, and it still refuses what the schema refuses")
  void validatorsKept(Vertx vertx, VertxTestContext testContext) {
    Checkpoint keptAndValidating = testContext.checkpoint();
    RestContract.load(vertx).onSuccess(contract -> testContext.verify(() -> {
      JsonSchema body = contract.operation("joinCodelab").getRequestBody().getContent().get(MediaType.APPLICATION_JSON)
        .getSchema();
      Validator validator = contract.getSchemaRepository().validator(body);
      assertThat(contract.getSchemaRepository().validator(body)).isSameAs(validator);
      assertThat(validator.validate(new JsonObject().put("nickname", 42)).getValid()).isFalse();
      keptAndValidating.flag();
    })).onFailure(testContext::failNow);
  }

  private record Loaded(OpenAPIContract contract, Context completedOn) {
  }

  private static Future<Loaded> loadOn(Vertx vertx, Context context) {
    return Future.future(promise -> context.runOnContext(start -> RestContract.load(vertx)
      .map(contract -> new Loaded(contract, Vertx.currentContext()))
      .onComplete(promise)));
  }
}

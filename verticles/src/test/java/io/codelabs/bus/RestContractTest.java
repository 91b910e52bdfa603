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
import io.vertx.openapi.contract.Parameter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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
    assertThat(second).as("a second event-loop context").isNotSameAs(first);
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

  @Test
  @DisplayName("keeps only the validators used last, a bounded number of them")
  void keptBounded(Vertx vertx, VertxTestContext testContext) {
    Checkpoint oldestDropped = testContext.checkpoint();
    RestContract.load(vertx).onSuccess(contract -> testContext.verify(() -> {
      Set<JsonSchema> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
      contract.operations().stream().flatMap(operation -> operation.getParameters().stream())
        .map(Parameter::getSchema).forEach(distinct::add);
      List<JsonSchema> schemas = distinct.stream().limit(KeptValidators.KEPT + 1).toList();
      assertThat(schemas).hasSize(KeptValidators.KEPT + 1);
      Validator first = contract.getSchemaRepository().validator(schemas.get(0));
      Validator last = contract.getSchemaRepository().validator(schemas.get(KeptValidators.KEPT));
      schemas.subList(1, KeptValidators.KEPT + 1).forEach(contract.getSchemaRepository()::validator);

      assertThat(contract.getSchemaRepository().validator(schemas.get(KeptValidators.KEPT))).isSameAs(last);
      assertThat(contract.getSchemaRepository().validator(schemas.get(0))).isNotSameAs(first);
      oldestDropped.flag();
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

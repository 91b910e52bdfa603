package io.codelabs.bridge;

import io.codelabs.bus.Address;
import io.codelabs.bus.ErrorCode;
import io.codelabs.bus.RestContract;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The body rules of every address a socket may send to, taken from the REST operation that does
 * the same: its path and query parameters are fields of the body, and the rest is its request
 * body. A socket's input is refused exactly where a REST request with the same values would be.
 */
final class CommandRules {
  private record Field(String name, boolean required, Validator validator) {
  }

  private record Rules(List<Field> fields, Validator body) {
  }

  private final SchemaRepository schemas;
  private final Map<Address, Operation> operations = new EnumMap<>(Address.class);
  /**
   * Made on an address's first command: each validator keeps its own copy of the contract's 2,000-odd schemas (about
   * 80 KB), and a workshop's sockets use a handful of the addresses; all of them made at start held 3.4 MB.
   */
  private final Map<Address, Rules> rules = new ConcurrentHashMap<>();

  private CommandRules(OpenAPIContract contract) {
    schemas = contract.getSchemaRepository();
    Arrays.stream(Address.values()).filter(address -> address.operation != null).forEach(address -> {
      Operation operation = contract.operation(address.operation);
      if (operation == null) {
        throw new IllegalStateException(address.address + " names no operation " + address.operation);
      }
      operations.put(address, operation);
    });
  }

  private Rules rulesOf(Operation operation) {
    List<Field> fields = operation.getParameters().stream()
      .filter(parameter -> parameter.getIn() == Location.PATH || parameter.getIn() == Location.QUERY)
      .map(parameter -> new Field(parameter.getName(), parameter.isRequired(), schemas.validator(parameter.getSchema())))
      .toList();
    MediaType json = operation.getRequestBody() == null ? null
      : operation.getRequestBody().getContent().get(MediaType.APPLICATION_JSON);
    return new Rules(fields, json == null ? null : schemas.validator(json.getSchema()));
  }

  static Future<CommandRules> load(Vertx vertx) {
    return RestContract.load(vertx).map(CommandRules::new);
  }

  /** Fails {@link ErrorCode#INVALID} with what is wrong, as the REST route would answer 400. */
  void check(Address address, JsonObject body) {
    Operation operation = operations.get(address);
    if (operation == null) {
      throw ErrorCode.INVALID.failure(address.address + " takes no input from sockets");
    }
    Rules found = rules.computeIfAbsent(address, unmade -> rulesOf(operation));
    JsonObject rest = body.copy();
    for (Field field : found.fields) {
      Object value = rest.remove(field.name);
      if (value == null && field.required) {
        throw ErrorCode.INVALID.failure(field.name + " is required");
      }
      if (value != null) {
        require(field.validator.validate(value), field.name);
      }
    }
    // Other fields of a command whose REST route takes no body are ignored, as that route ignores a body.
    if (found.body != null) {
      require(found.body.validate(rest), "body");
    }
  }

  private static void require(OutputUnit result, String where) {
    if (!Boolean.TRUE.equals(result.getValid())) {
      String detail = result.getErrors() == null || result.getErrors().isEmpty() ? result.getError()
        : result.getErrors().get(result.getErrors().size() - 1).getError();
      throw ErrorCode.INVALID.failure(where + ": " + detail);
    }
  }
}

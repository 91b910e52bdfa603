package io.codelabs.bus;

import com.google.common.cache.CacheBuilder;
import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import java.util.List;
import java.util.concurrent.ConcurrentMap;

/**
 * A contract whose schema repository keeps the validators of the schemas in use. The repository of vertx-json-schema
 * 5.0 copies its whole lookup of the contract's 2,000-odd schemas into most validators it makes, and the OpenAPI
 * request validator asks for a new one for every parameter and body of every request: 50-100 µs and about 85 KB
 * each. A validator keeps no state between validations, so one serves every request and every event loop. The
 * contract has 145 parameters and bodies; keeping all would hold 12 MB, so the {@value #KEPT} used last are kept.
 */
final class KeptValidators implements OpenAPIContract {
  static final int KEPT = 32;
  private final OpenAPIContract contract;
  private final SchemaRepository repository;

  KeptValidators(OpenAPIContract contract) {
    this.contract = contract;
    this.repository = new Repository(contract.getSchemaRepository());
  }

  @Override
  public SchemaRepository getSchemaRepository() {
    return repository;
  }

  @Override
  public Operation operation(String operationId) {
    return contract.operation(operationId);
  }

  @Override
  public List<Operation> operations() {
    return contract.operations();
  }

  @Override
  public List<Path> getPaths() {
    return contract.getPaths();
  }

  @Override
  public JsonObject getRawContract() {
    return contract.getRawContract();
  }

  @Override
  public OpenAPIVersion getVersion() {
    return contract.getVersion();
  }

  @Override
  public List<Server> getServers() {
    return contract.getServers();
  }

  @Override
  public Path findPath(String urlPath) {
    return contract.findPath(urlPath);
  }

  @Override
  public Operation findOperation(String urlPath, HttpMethod method) {
    return contract.findOperation(urlPath, method);
  }

  @Override
  public List<SecurityRequirement> getSecurityRequirements() {
    return contract.getSecurityRequirements();
  }

  @Override
  public SecurityScheme securityScheme(String name) {
    return contract.securityScheme(name);
  }

  /** Keyed by the schema object itself (by identity): the contract's schemas live as long as the contract. */
  private static final class Repository implements SchemaRepository {
    private final SchemaRepository schemas;
    private final ConcurrentMap<JsonSchema, Validator> validators = CacheBuilder.newBuilder().weakKeys()
      .concurrencyLevel(1).maximumSize(KEPT).<JsonSchema, Validator>build().asMap();

    Repository(SchemaRepository schemas) {
      this.schemas = schemas;
    }

    @Override
    public Validator validator(JsonSchema schema) {
      return validators.computeIfAbsent(schema, schemas::validator);
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) {
      schemas.dereference(schema);
      return this;
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) {
      schemas.dereference(uri, schema);
      return this;
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fileSystem) {
      schemas.preloadMetaSchema(fileSystem);
      return this;
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fileSystem, Draft draft) {
      schemas.preloadMetaSchema(fileSystem, draft);
      return this;
    }

    @Override
    public Validator validator(String ref) {
      return schemas.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return schemas.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return schemas.validator(schema, options, dereference);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return schemas.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return schemas.find(pointer);
    }
  }
}

package io.codelabs.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Files in an S3-compatible bucket, for clusters. The SDK's client blocks, so every call runs on a
 * small worker pool of its own: slow storage makes uploads wait, never the event loops.
 */
final class S3Storage implements Storage {
  private static final int WORKERS = 4;

  private final Vertx vertx;
  private final S3Client s3;
  private final String bucket;
  private final String endpoint;
  private final Quarantine scratch;
  private final WorkerExecutor workers;

  S3Storage(Vertx vertx, JsonObject config, Quarantine scratch) {
    this.vertx = vertx;
    this.bucket = config.getString(StorageConfig.S3_BUCKET);
    this.endpoint = config.getString(StorageConfig.S3_ENDPOINT);
    this.scratch = scratch;
    this.workers = vertx.createSharedWorkerExecutor("codelabs-s3", WORKERS);
    S3ClientBuilder builder = S3Client.builder()
      .httpClient(UrlConnectionHttpClient.create())
      .region(Region.of(config.getString(StorageConfig.S3_REGION)))
      .credentialsProvider(credentials(config))
      .forcePathStyle(config.getBoolean(StorageConfig.S3_PATH_STYLE));
    if (!endpoint.isEmpty()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    this.s3 = builder.build();
  }

  private static AwsCredentialsProvider credentials(JsonObject config) {
    String accessKey = config.getString(StorageConfig.S3_ACCESS_KEY);
    return accessKey.isEmpty()
      ? DefaultCredentialsProvider.builder().build()
      : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
        config.getString(StorageConfig.S3_SECRET_KEY)));
  }

  @Override
  public Future<Void> prepare() {
    return vertx.fileSystem().mkdirs(scratch.dir().toString())
      .compose(made -> blocking(() -> s3.headBucket(request -> request.bucket(bucket))));
  }

  @Override
  public Future<Void> put(String key, Path file, String contentType) {
    return blocking(() -> s3.putObject(request -> request.bucket(bucket).key(key).contentType(contentType),
      RequestBody.fromFile(file)));
  }

  @Override
  public Future<Void> copyIn(String key, Path file) {
    return blocking(() -> s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromFile(file)));
  }

  /** Fetched into a temporary file next to the quarantine, then sent like a local file. */
  @Override
  public Future<Readable> read(String key) {
    Path copy = scratch.newDownloadCopy();
    return blocking(() -> s3.getObject(request -> request.bucket(bucket).key(key), ResponseTransformer.toFile(copy)))
      .map(done -> new Readable(copy, true))
      .onFailure(failure -> vertx.fileSystem().delete(copy.toString()));
  }

  @Override
  public Future<Void> delete(String key) {
    return blocking(() -> s3.deleteObject(request -> request.bucket(bucket).key(key)));
  }

  @Override
  public Future<List<String>> keys() {
    return workers.executeBlocking(() -> s3.listObjectsV2Paginator(request -> request.bucket(bucket)).contents().stream()
      .map(S3Object::key).toList(), false);
  }

  /** Listed and deleted a page (at most 1,000 keys) at a time. */
  @Override
  public Future<Void> deleteAll(String prefix) {
    return blocking(() -> s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).stream()
      .map(page -> page.contents().stream().map(object -> ObjectIdentifier.builder().key(object.key()).build()).toList())
      .filter(keys -> !keys.isEmpty())
      .forEach(keys -> s3.deleteObjects(request -> request.bucket(bucket).delete(delete -> delete.objects(keys)))));
  }

  @Override
  public String describe() {
    return "S3 bucket " + bucket + (endpoint.isEmpty() ? "" : " at " + endpoint);
  }

  @Override
  public void close() {
    workers.close();
    s3.close();
  }

  private Future<Void> blocking(Runnable call) {
    return workers.executeBlocking(() -> {
      call.run();
      return null;
    }, false);
  }
}

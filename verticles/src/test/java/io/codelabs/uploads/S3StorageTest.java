package io.codelabs.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BackupListing;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.codelabs.bridge.BridgeVerticle;
import io.codelabs.persistence.PersistenceVerticle;
import io.codelabs.storage.StorageConfig;
import io.codelabs.storage.UploadLimits;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.Constants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Uploads kept in an S3-compatible bucket (s3proxy in this JVM), on a node without a scanner. */
@DisplayName("Uploads stored in an S3 bucket")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3StorageTest {
  private static final String ACCESS_KEY = "codelabs-test";
  private static final String SECRET_KEY = "codelabs-test-secret";
  private static final String BUCKET = "codelabs-files";

  @TempDir
  static Path dataDir;
  private static S3Proxy s3Proxy;
  private static S3Client s3;
  private static Node node;
  private static Http http;
  private static UploadClient uploads;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    Properties credentials = new Properties();
    credentials.setProperty(Constants.PROPERTY_IDENTITY, ACCESS_KEY);
    credentials.setProperty(Constants.PROPERTY_CREDENTIAL, SECRET_KEY);
    s3Proxy = S3Proxy.builder()
      .blobStore(BlobStores.create("transient", credentials))
      .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
      .endpoint(URI.create("http://127.0.0.1:0"))
      .build();
    s3Proxy.start();
    String endpoint = "http://127.0.0.1:" + s3Proxy.getPort();
    s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
      .endpointOverride(URI.create(endpoint)).forcePathStyle(true).build();
    s3.createBucket(request -> request.bucket(BUCKET));
    node = TestNode.start(dataDir, new JsonObject()
      .put(BridgeVerticle.PORT, 0)
      .put(StorageConfig.S3_ENDPOINT, endpoint)
      .put(StorageConfig.S3_BUCKET, BUCKET)
      .put(StorageConfig.S3_PATH_STYLE, true)
      .put(StorageConfig.S3_ACCESS_KEY, ACCESS_KEY)
      .put(StorageConfig.S3_SECRET_KEY, SECRET_KEY)
      .put(UploadLimits.MAX_ATTENDEE_BYTES, 1000)
      .put(PersistenceVerticle.BACKUP_COPY_PREFIX, "backups")
      .put(PersistenceVerticle.BACKUP_KEEP, 1));
    http = new Http(node.vertx, node.httpPort);
    uploads = new UploadClient(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop().await();
    s3.close();
    s3Proxy.stop();
  }

  private static List<String> objects(String codelabId) {
    return s3.listObjectsV2(request -> request.bucket(BUCKET).prefix(codelabId + "/")).contents().stream()
      .map(S3Object::key).toList();
  }

  @Test
  @DisplayName("a file goes to the bucket under a server key, comes back on download, and leaves with its record")
  void roundTrip() {
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "S3"));
    String neo = http.join(codelabId, "neo", "code-neo").getString("token");
    byte[] content = "fn main() { println!(\"hi\"); }\n".getBytes(StandardCharsets.UTF_8);

    Http.Response submitted = uploads.upload("/api/codelabs/" + codelabId + "/submissions/files", neo, "main.rs", content);
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(201);
    String id = submitted.json().getJsonObject("submission").getString("id");
    assertThat(objects(codelabId)).singleElement().asString().matches(codelabId + "/[0-9a-f-]{36}");
    assertThat(Files.exists(dataDir.resolve("files"))).as("nothing in the local storage directory").isFalse();

    UploadClient.Download download = uploads.download("/api/codelabs/" + codelabId + "/submissions/" + id + "/file", admin);
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.body().getBytes()).isEqualTo(content);
    assertThat(download.header("Content-Disposition")).startsWith("attachment; filename=\"main.rs\"");

    Http.Response overQuota = uploads.upload("/api/codelabs/" + codelabId + "/submissions/files", neo, "big.rs",
      new String(new char[1000]).replace('\0', 'x').getBytes(StandardCharsets.UTF_8));
    assertThat(overQuota.status()).isEqualTo(413);
    assertThat(objects(codelabId)).as("a file that could not be recorded is taken out of the bucket").hasSize(1);

    assertThat(http.delete("/api/codelabs/" + codelabId + "/submissions/" + id, neo).status()).isEqualTo(204);
    assertThat(objects(codelabId)).isEmpty();
  }

  @Test
  @DisplayName("a backup holds every object of the bucket with its SHA-256, is copied to the bucket, and only the kept copy stays")
  void backupCopiesTheBucket() throws Exception {
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Backed up"));
    byte[] notes = "notes kept in the bucket\n".getBytes(StandardCharsets.UTF_8);
    assertThat(uploads.upload("/api/codelabs/" + codelabId + "/materials/files", admin, "notes.txt", notes).status())
      .isEqualTo(201);
    String key = objects(codelabId).get(0);

    JsonObject first = BackupListing.backUp(node.vertx, http, admin);
    JsonObject second = BackupListing.backUp(node.vertx, http, admin);
    Path backup = Path.of(second.getString("path"));
    List<JsonObject> files = new JsonObject(Files.readString(backup.resolve("manifest.json"))).getJsonArray("files")
      .stream().map(JsonObject.class::cast).toList();
    JsonObject listed = files.stream().filter(file -> file.getString("path").equals("files/" + key)).findFirst()
      .orElseThrow();
    assertThat(Files.readAllBytes(backup.resolve("files/" + key))).isEqualTo(notes);
    assertThat(listed.getLong("size")).isEqualTo(notes.length);
    assertThat(listed.getString("sha256")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
      .digest(notes)));
    assertThat(files).extracting(file -> file.getString("path")).noneMatch(path -> path.startsWith("files/backups/"));

    String copy = "backups/" + second.getString("id") + "/";
    assertThat(second.getString("copiedTo")).endsWith(copy);
    List<String> copied = s3.listObjectsV2(request -> request.bucket(BUCKET).prefix("backups/")).contents().stream()
      .map(S3Object::key).toList();
    assertThat(copied).as("the first backup's copy left with it").allMatch(object -> object.startsWith(copy))
      .contains(copy + "manifest.json", copy + "codelabs.db", copy + "files/" + key);
    assertThat(first.getString("id")).isNotEqualTo(second.getString("id"));
  }

  @Test
  @DisplayName("deleting a codelab deletes its files from the bucket")
  void codelabDeleted() {
    String codelabId = http.createCodelab(admin, new JsonObject().put("title", "Gone"));
    for (String name : List.of("a.txt", "b.txt")) {
      assertThat(uploads.upload("/api/codelabs/" + codelabId + "/materials/files", admin, name,
        "notes\n".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
    }
    assertThat(objects(codelabId)).hasSize(2);
    assertThat(http.delete("/api/codelabs/" + codelabId, admin).status()).isEqualTo(204);
    assertThat(objects(codelabId)).isEmpty();
  }

  @Test
  @DisplayName("without a scanner, readiness says so, and where files are stored")
  void readinessWithoutScanner() {
    JsonObject uploadStatus = http.get("/ready", admin).json().getJsonObject("uploads");
    assertThat(uploadStatus.getJsonObject("scanner").getBoolean("configured")).isFalse();
    assertThat(uploadStatus.getJsonObject("scanner").getString("detail")).contains("unscanned");
    assertThat(uploadStatus.getString("storage")).isEqualTo("S3 bucket " + BUCKET + " at http://127.0.0.1:"
      + s3Proxy.getPort());
  }
}

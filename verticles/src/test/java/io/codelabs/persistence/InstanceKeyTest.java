package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The instance's credential signing key")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InstanceKeyTest {
  @TempDir
  Path dataDir;

  @Test
  @DisplayName("is generated on first start, kept in the database only, and the same after a restart")
  void generatedOnceAndKept() throws Exception {
    JsonObject before = publishedKeys();
    JsonObject after = publishedKeys();

    assertThat(after).isEqualTo(before);
    JsonObject jwk = before.getJsonArray("keys").getJsonObject(0);
    assertThat(jwk.getString("kty")).isEqualTo("RSA");
    assertThat(jwk.getString("alg")).isEqualTo("RS256");
    assertThat(jwk.fieldNames()).doesNotContain("d");
    try (Connection connection = DriverManager.getConnection(Database.url(dataDir));
         ResultSet rows = connection.createStatement().executeQuery("SELECT kid, private_jwk FROM instance_keys")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString("kid")).isEqualTo(jwk.getString("kid"));
      assertThat(new JsonObject(rows.getString("private_jwk")).getString("d")).isNotBlank();
      assertThat(rows.next()).as("one key").isFalse();
    }
  }

  private JsonObject publishedKeys() {
    Node node = TestNode.start(dataDir);
    Http http = new Http(node.vertx, node.httpPort);
    try {
      Http.Response keys = http.get("/.well-known/jwks.json", null);
      assertThat(keys.status()).isEqualTo(200);
      return keys.json();
    } finally {
      http.close();
      node.stop().await();
    }
  }
}

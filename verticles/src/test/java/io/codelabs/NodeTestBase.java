package io.codelabs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One node per test class on a fresh SQLite file; every test makes its own codelab, so tests stay independent. */
public abstract class NodeTestBase {
  @TempDir
  protected static Path dataDir;

  protected static Node node;
  protected static Http http;
  protected static String admin;

  @BeforeAll
  protected static void startNode() {
    node = TestNode.start(dataDir);
    http = new Http(node.vertx, node.httpPort);
    admin = http.login(Node.FIRST_FACILITATOR, node.createdPassword);
  }

  @AfterAll
  protected static void stopNode() {
    http.close();
    node.stop().await();
  }

  protected static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  protected static JsonObject step(String title, String markdown) {
    return new JsonObject().put("title", title).put("markdown", markdown).put("durationMinutes", 5);
  }

  /** A public codelab of three steps owned by the token's facilitator. */
  protected static String codelab(String token) {
    return http.createCodelab(token, new JsonObject().put("title", unique("Lab ")).put("steps", new JsonArray()
      .add(step("Setup", "Install **Java 17**."))
      .add(step("Build", "```java\nclass A {}\n```"))
      .add(step("Ship", "Done."))));
  }

  /** A second facilitator's bearer token. */
  protected static String newFacilitator(String username) {
    Http.Response created = http.post("/api/facilitators", admin, new JsonObject()
      .put("username", username).put("password", "correct horse battery"));
    if (created.status() != 201) {
      throw new IllegalStateException(created.text());
    }
    return http.login(username, "correct horse battery");
  }

  protected static String attendee(String codelabId, String nickname) {
    return http.join(codelabId, nickname, "code-" + nickname).getString("token");
  }
}

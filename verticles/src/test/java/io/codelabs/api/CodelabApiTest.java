package io.codelabs.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http.Response;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Codelabs, steps and assistants")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodelabApiTest extends NodeTestBase {

  @Test
  @DisplayName("create renders each step's Markdown to sanitised HTML")
  void createRendersSafeHtml() {
    Response created = http.post("/api/codelabs", admin, new JsonObject()
      .put("title", "Safe").put("summary", "s").put("categories", new JsonArray().add("java"))
      .put("steps", new JsonArray().add(step("XSS",
        "# Title\n<script>alert(1)</script>\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n```js\nlet a = 1;\n```"))));
    assertThat(created.status()).isEqualTo(201);
    JsonObject codelab = created.json();
    assertThat(codelab.getString("access")).isEqualTo("owner");
    assertThat(codelab.getJsonArray("categories")).containsExactly("java");
    String html = codelab.getJsonArray("steps").getJsonObject(0).getString("html");
    assertThat(html).contains("<h1 id=\"md-title\">Title</h1>").contains("<code class=\"language-js\">")
      .doesNotContain("<script").doesNotContain("javascript:").doesNotContain("onerror");
  }

  @Test
  @DisplayName("what a codelab shows: owner everything, attendee steps without Markdown or join code, anyone a summary")
  void readByAudience() {
    String id = http.createCodelab(admin, new JsonObject().put("title", unique("Private "))
      .put("visibility", "private").put("joinCode", "4321")
      .put("steps", new JsonArray().add(step("One", "*hi*"))));

    JsonObject owner = http.get("/api/codelabs/" + id, admin).json();
    assertThat(owner.getString("joinCode")).isEqualTo("4321");
    assertThat(owner.getJsonArray("steps").getJsonObject(0).getString("markdown")).isEqualTo("*hi*");
    assertThat(owner.getJsonArray("facilitators")).hasSize(1);

    Response anonymous = http.get("/api/codelabs/" + id, null);
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.json().getString("access")).isEqualTo("none");
    assertThat(anonymous.json().containsKey("steps")).isFalse();
    assertThat(anonymous.json().containsKey("joinCode")).isFalse();
    assertThat(anonymous.json().getInteger("stepCount")).isEqualTo(1);

    Response joined = http.post("/api/codelabs/" + id + "/attendees", null, new JsonObject()
      .put("nickname", "ann").put("personalCode", "ann-code-1111").put("joinCode", "4321").put("delivery", "bearer"));
    JsonObject asAttendee = http.get("/api/codelabs/" + id, joined.json().getString("token")).json();
    assertThat(asAttendee.getString("access")).isEqualTo("attendee");
    assertThat(asAttendee.containsKey("joinCode")).isFalse();
    assertThat(asAttendee.containsKey("facilitators")).isFalse();
    JsonObject step = asAttendee.getJsonArray("steps").getJsonObject(0);
    assertThat(step.getString("html")).isEqualTo("<p><em>hi</em></p>\n");
    assertThat(step.containsKey("markdown")).isFalse();
    assertThat(asAttendee.getJsonObject("progress"))
      .isEqualTo(new JsonObject().put("currentStep", 0).put("completedSteps", new JsonArray()));
    assertThat(owner.containsKey("progress")).isFalse();

    assertThat(http.get("/api/codelabs/nope", admin).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("update changes settings; private needs a join code; other facilitators 403; unknown 404")
  void update() {
    String id = codelab(admin);
    Response updated = http.patch("/api/codelabs/" + id, admin, new JsonObject()
      .put("title", "Renamed").put("joinsClosed", true));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().getString("title")).isEqualTo("Renamed");
    assertThat(updated.json().getBoolean("joinsClosed")).isTrue();
    assertThat(updated.json().getJsonArray("steps")).hasSize(3);

    Response noCode = http.patch("/api/codelabs/" + id, admin, new JsonObject().put("visibility", "private"));
    assertThat(noCode.status()).isEqualTo(400);
    assertThat(noCode.json().getString("detail")).contains("joinCode");

    Response badType = http.patch("/api/codelabs/" + id, admin, new JsonObject().put("joinsClosed", "yes"));
    assertThat(badType.status()).isEqualTo(400);

    String other = newFacilitator(unique("other"));
    assertThat(http.patch("/api/codelabs/" + id, other, new JsonObject().put("title", "Mine")).status()).isEqualTo(403);
    assertThat(http.patch("/api/codelabs/missing", admin, new JsonObject().put("title", "X")).status()).isEqualTo(404);
    assertThat(http.patch("/api/codelabs/" + id, null, new JsonObject().put("title", "X")).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("list shows only the caller's codelabs; attendees may not list")
  void list() {
    String mine = codelab(admin);
    String other = newFacilitator(unique("lister"));
    String theirs = codelab(other);
    JsonArray listed = http.get("/api/codelabs", other).json().getJsonArray("codelabs");
    assertThat(listed.stream().map(c -> ((JsonObject) c).getString("id"))).contains(theirs).doesNotContain(mine);
    assertThat(http.get("/api/codelabs", attendee(mine, "lou")).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("copy makes a new codelab owned by the caller with the same steps; delete removes it")
  void copyAndDelete() {
    String id = codelab(admin);
    Response copy = http.post("/api/codelabs/" + id + "/copy", admin, null);
    assertThat(copy.status()).isEqualTo(201);
    String copyId = copy.json().getString("id");
    assertThat(copyId).isNotEqualTo(id);
    assertThat(copy.json().getString("title")).endsWith("(copy)");
    assertThat(copy.json().getJsonArray("steps")).hasSize(3);

    String stranger = newFacilitator(unique("stranger"));
    assertThat(http.post("/api/codelabs/" + id + "/copy", stranger, null).status()).isEqualTo(403);
    assertThat(http.delete("/api/codelabs/" + copyId, stranger).status()).isEqualTo(403);

    assertThat(http.delete("/api/codelabs/" + copyId, admin).status()).isEqualTo(204);
    assertThat(http.get("/api/codelabs/" + copyId, admin).status()).isEqualTo(404);
    assertThat(http.delete("/api/codelabs/" + copyId, admin).status()).isEqualTo(404);
    assertThat(http.get("/api/codelabs/" + id, admin).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("steps are replaced, reordered and edited one at a time")
  void steps() {
    String id = codelab(admin);
    Response replaced = http.put("/api/codelabs/" + id + "/steps", admin, new JsonObject().put("steps", new JsonArray()
      .add(step("Ship", "Done."))
      .add(step("Setup", "Install."))));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().getJsonArray("steps").stream().map(s -> ((JsonObject) s).getString("title")))
      .containsExactly("Ship", "Setup");

    Response edited = http.put("/api/codelabs/" + id + "/steps/1", admin, new JsonObject()
      .put("title", "Setup v2").put("markdown", "**now**").put("durationMinutes", 12));
    assertThat(edited.status()).isEqualTo(200);
    JsonObject second = edited.json().getJsonArray("steps").getJsonObject(1);
    assertThat(second.getString("title")).isEqualTo("Setup v2");
    assertThat(second.getString("html")).contains("<strong>now</strong>");
    assertThat(second.getInteger("durationMinutes")).isEqualTo(12);

    assertThat(http.put("/api/codelabs/" + id + "/steps/7", admin, new JsonObject()
      .put("title", "X").put("markdown", "")).status()).isEqualTo(404);
    assertThat(http.put("/api/codelabs/" + id + "/steps", admin, new JsonObject().put("steps", new JsonArray()
      .add(new JsonObject().put("markdown", "no title")))).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("assistants: the owner adds and removes them; they help but cannot edit; duplicates 409")
  void assistants() {
    String id = codelab(admin);
    String username = unique("helper");
    String assistant = newFacilitator(username);
    Response added = http.post("/api/codelabs/" + id + "/assistants", admin, new JsonObject().put("username", username));
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.json().getString("role")).isEqualTo("assistant");
    assertThat(http.post("/api/codelabs/" + id + "/assistants", admin, new JsonObject().put("username", username))
      .status()).isEqualTo(409);
    assertThat(http.post("/api/codelabs/" + id + "/assistants", admin, new JsonObject().put("username", "ghost"))
      .status()).isEqualTo(404);
    assertThat(http.post("/api/codelabs/" + id + "/assistants", assistant, new JsonObject().put("username", "admin"))
      .status()).isEqualTo(403);

    assertThat(http.get("/api/codelabs/" + id, assistant).json().getString("access")).isEqualTo("assistant");
    assertThat(http.get("/api/codelabs", assistant).json().getJsonArray("codelabs")).hasSize(1);
    assertThat(http.patch("/api/codelabs/" + id, assistant, new JsonObject().put("title", "No")).status()).isEqualTo(403);
    assertThat(http.post("/api/codelabs/" + id + "/announcements", assistant, new JsonObject().put("text", "Hi all"))
      .status()).isEqualTo(201);

    String assistantId = added.json().getString("id");
    assertThat(http.delete("/api/codelabs/" + id + "/assistants/" + assistantId, admin).status()).isEqualTo(204);
    assertThat(http.get("/api/codelabs/" + id, assistant).json().getString("access")).isEqualTo("none");
    assertThat(http.delete("/api/codelabs/" + id + "/assistants/" + assistantId, admin).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("the editor's preview renders like a saved step; anonymous callers 401")
  void preview() {
    Response preview = http.post("/api/markdown/preview", admin, new JsonObject().put("markdown", "| a |\n|---|\n| 1 |"));
    assertThat(preview.status()).isEqualTo(200);
    assertThat(preview.json().getString("html")).contains("<table>").contains("<td>1</td>");
    assertThat(http.post("/api/markdown/preview", null, new JsonObject().put("markdown", "x")).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("every codelab and copy gets its own short projector link, which redirects to the attendee page")
  void shortLink() {
    String id = codelab(admin);
    String code = http.get("/api/codelabs/" + id, null).json().getString("shortCode");
    assertThat(code).matches("[2-9a-hjkmnp-tw-z]{6}");

    Response opened = http.get("/j/" + code, null);
    assertThat(opened.status()).isEqualTo(302);
    assertThat(opened.header("Location")).isEqualTo("/c/" + id);
    assertThat(http.get("/j/" + code.toUpperCase(java.util.Locale.ROOT), null).header("Location")).isEqualTo("/c/" + id);

    String copy = http.post("/api/codelabs/" + id + "/copy", admin, new JsonObject()).json().getString("id");
    String copyCode = http.get("/api/codelabs/" + copy, null).json().getString("shortCode");
    assertThat(copyCode).isNotEqualTo(code);
    assertThat(http.get("/j/" + copyCode, null).header("Location")).isEqualTo("/c/" + copy);

    Response unknown = http.get("/j/zzzzzz", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    Response dotted = http.get("/j/../api", null);
    assertThat(dotted.status()).isEqualTo(400);
    assertThat(dotted.header("Content-Type")).startsWith("application/problem+json");
  }
}

package io.codelabs.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.NodeTestBase;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Webhook URLs that reach internal addresses are refused with the default config")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookTargetsTest extends NodeTestBase {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://127.0.0.1/hook", "https://10.0.0.5/hook", "https://169.254.169.254/latest/meta-data",
    "https://[::1]/hook", "https://localhost:8443/hook", "https://192.168.0.10/hook", "https://100.64.1.1/hook",
    "http://example.org/hook"})
  void refused(String url) {
    Http.Response created = http.post("/api/webhooks", admin, new JsonObject().put("url", url));
    assertThat(created.status()).as(created.text()).isEqualTo(422);
    assertThat(http.get("/api/webhooks", admin).json().getJsonArray("webhooks")).isEmpty();
  }
}

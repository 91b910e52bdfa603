package io.codelabs.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Certificate PDFs")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CertificatePdfTest {
  private static final String VERIFY = "https://codelabs.example.org/verify/c3J0aWZpY2F0ZS1pZC0xMjM0";

  @Test
  @DisplayName("print a Korean name, the codelab, the facilitator, date and duration, and a QR code of the verify URL")
  void printsKoreanNameAndQr() throws Exception {
    CertificatePdf pdf = CertificatePdf.withFont("");
    assertThat(pdf.font()).as("a Hangul font from fonts-nanum, which the test tools install").isPresent();
    JsonObject certificate = new JsonObject().put("id", "c3J0aWZpY2F0ZS1pZC0xMjM0").put("name", "김하늘 Kim")
      .put("codelabTitle", "Vert.x 5 워크숍").put("facilitatorName", "Lee Facilitator")
      .put("completedAt", 1_764_005_400_000L).put("durationMinutes", 90).put("status", "valid");

    PdfReading reading = PdfReading.of(pdf.render(certificate, VERIFY));

    assertThat(reading.pages()).isEqualTo(1);
    assertThat(reading.text()).contains("김하늘 Kim", "Vert.x 5 워크숍", "Lee Facilitator", "2025-11-24", "90 minutes",
      VERIFY);
    assertThat(reading.qr()).isEqualTo(VERIFY);
  }

  @Test
  @DisplayName("a configured font that cannot be read is refused at start, not at the first certificate")
  void unreadableFont() {
    assertThatThrownBy(() -> CertificatePdf.withFont("/nonexistent/font.ttf"))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/font.ttf");
  }
}

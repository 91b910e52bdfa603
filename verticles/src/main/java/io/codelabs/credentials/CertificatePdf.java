package io.codelabs.credentials;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A certificate as a one-page landscape A4 PDF with a QR code of its absolute verify URL. Names print in any script
 * the font has glyphs for; the font is embedded as a subset.
 */
public final class CertificatePdf {
  /** TrueType fonts with Hangul that Debian and Ubuntu packages install (fonts-nanum, fonts-noto-cjk, fonts-unfonts). */
  static final List<Path> KNOWN_FONTS = List.of(
    Path.of("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
    Path.of("/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf"),
    Path.of("/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf"));
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final float MARGIN = 56;
  private static final float QR_SIZE = 120;

  private final Path font;

  private CertificatePdf(Path font) {
    this.font = font;
  }

  /** With the configured font file, else the first known system font, else the built-in Helvetica (Latin only). */
  public static CertificatePdf withFont(String configured) {
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException("The certificate font " + path + " cannot be read");
      }
      return new CertificatePdf(path);
    }
    return new CertificatePdf(KNOWN_FONTS.stream().filter(Files::isReadable).findFirst().orElse(null));
  }

  /** The embedded font file, or empty when certificates print with Helvetica and names outside Latin-1 show as '?'. */
  public Optional<Path> font() {
    return Optional.ofNullable(font);
  }

  /**
   * Blocking: parses the font and writes the document of a certificate in its public JSON form ({@code name},
   * {@code codelabTitle}, {@code facilitatorName}, {@code completedAt}, {@code durationMinutes}, {@code status}).
   */
  public byte[] render(JsonObject certificate, String verifyUrl) {
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage(new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth()));
      document.addPage(page);
      PDFont text = font == null ? new PDType1Font(Standard14Fonts.FontName.HELVETICA) : PDType0Font.load(document, font.toFile());
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle("Certificate " + certificate.getString("id"));
      info.setSubject(certificate.getString("codelabTitle"));
      float width = page.getMediaBox().getWidth();
      float height = page.getMediaBox().getHeight();
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.setLineWidth(2);
        content.addRect(MARGIN / 2, MARGIN / 2, width - MARGIN, height - MARGIN);
        content.stroke();
        float y = height - 2 * MARGIN;
        centred(content, text, "Certificate of Completion", 30, width, y);
        centred(content, text, "This certifies that", 14, width, y -= 60);
        centred(content, text, certificate.getString("name"), 34, width, y -= 52);
        centred(content, text, "completed the codelab", 14, width, y -= 44);
        centred(content, text, certificate.getString("codelabTitle"), 22, width, y -= 36);
        centred(content, text, "facilitated by " + certificate.getString("facilitatorName"), 14, width, y -= 34);
        long minutes = certificate.getLong("durationMinutes");
        centred(content, text, "Completed on " + date(certificate.getLong("completedAt")) + " in " + minutes
          + (minutes == 1 ? " minute" : " minutes"), 12, width, y -= 28);
        if ("revoked".equals(certificate.getString("status"))) {
          centred(content, text, "REVOKED on " + date(certificate.getLong("revokedAt")), 18, width, y - 44);
        }
        line(content, text, "Certificate " + certificate.getString("id"), 9, MARGIN, MARGIN + 22);
        line(content, text, "Verify: " + verifyUrl, 9, MARGIN, MARGIN + 8);
        qr(content, verifyUrl, width - MARGIN - QR_SIZE, MARGIN);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String date(long epochMillis) {
    return DATE.format(Instant.ofEpochMilli(epochMillis));
  }

  private static void centred(PDPageContentStream content, PDFont font, String text, float size, float pageWidth,
                              float y) throws IOException {
    String printable = printable(font, text);
    float maxWidth = pageWidth - 3 * MARGIN;
    float width = font.getStringWidth(printable) / 1000 * size;
    float fitted = width > maxWidth ? size * maxWidth / width : size;
    line(content, font, printable, fitted, (pageWidth - font.getStringWidth(printable) / 1000 * fitted) / 2, y);
  }

  private static void line(PDPageContentStream content, PDFont font, String text, float size, float x, float y)
    throws IOException {
    content.beginText();
    content.setFont(font, size);
    content.newLineAtOffset(x, y);
    content.showText(printable(font, text));
    content.endText();
  }

  /** The text with every character the font cannot show replaced by '?', so no name makes the document fail. */
  private static String printable(PDFont font, String text) {
    StringBuilder shown = new StringBuilder(text.length());
    text.codePoints().forEach(codePoint -> {
      String character = new String(Character.toChars(codePoint));
      try {
        font.encode(character);
        shown.append(character);
      } catch (IOException | IllegalArgumentException e) {
        shown.append('?');
      }
    });
    return shown.toString();
  }

  private static void qr(PDPageContentStream content, String url, float x, float y) throws IOException {
    BitMatrix matrix;
    try {
      matrix = new QRCodeWriter().encode(url, BarcodeFormat.QR_CODE, 0, 0,
        Map.of(EncodeHintType.MARGIN, 0, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
    } catch (WriterException e) {
      throw new IllegalArgumentException("The verify URL does not fit a QR code", e);
    }
    float module = QR_SIZE / matrix.getWidth();
    for (int row = 0; row < matrix.getHeight(); row++) {
      for (int column = 0; column < matrix.getWidth(); column++) {
        if (matrix.get(column, row)) {
          content.addRect(x + column * module, y + QR_SIZE - (row + 1) * module, module, module);
        }
      }
    }
    content.fill();
  }
}

package io.codelabs.credentials;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

/** Reads a certificate PDF back the way a person does: its text, and the QR code on the rendered page. */
public record PdfReading(int pages, String text, String qr) {

  public static PdfReading of(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(document);
      BufferedImage page = new PDFRenderer(document).renderImageWithDPI(0, 150);
      return new PdfReading(document.getNumberOfPages(), text, decodeQr(page));
    }
  }

  private static String decodeQr(BufferedImage image) {
    try {
      return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
        Map.of(DecodeHintType.TRY_HARDER, true)).getText();
    } catch (NotFoundException e) {
      return null;
    }
  }
}

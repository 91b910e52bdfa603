package io.codelabs.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("File names and types")
class FileChecksTest {

  @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
  @CsvSource(delimiter = '|', value = {
    "../../etc/passwd|passwd",
    "C:\\Users\\neo\\..\\secret.docx|secret.docx",
    "  .hidden  |hidden",
    "...|file",
    "report<1>?.txt|report_1__.txt",
    "|file"})
  @DisplayName("names keep only a harmless last segment")
  void names(String raw, String expected) {
    assertThat(FileNames.normalise(raw)).isEqualTo(expected);
  }

  @Test
  @DisplayName("control and bidi-override characters are removed; long names keep their extension")
  void controlCharactersAndLength() {
    assertThat(FileNames.normalise("in\u0000vo\u001bice\u202Etxt.exe\n")).isEqualTo("invoicetxt.exe");
    String longName = "a".repeat(400) + ".zip";
    assertThat(FileNames.normalise(longName)).hasSize(FileNames.MAX_LENGTH).endsWith(".zip");
  }

  @Test
  @DisplayName("types come from the first bytes")
  void types() {
    assertThat(FileType.detect(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0), false)).contains(FileType.PNG);
    assertThat(FileType.detect(bytes(0xFF, 0xD8, 0xFF, 0xE0), false)).contains(FileType.JPEG);
    assertThat(FileType.detect("GIF89a...".getBytes(StandardCharsets.US_ASCII), false)).contains(FileType.GIF);
    assertThat(FileType.detect("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII), false))
      .contains(FileType.WEBP);
    assertThat(FileType.detect("%PDF-1.7".getBytes(StandardCharsets.US_ASCII), false)).contains(FileType.PDF);
    assertThat(FileType.detect(bytes('P', 'K', 3, 4, 20, 0), false)).contains(FileType.ZIP);
    assertThat(FileType.detect("fn main() {}\n// héllo ✓\n".getBytes(StandardCharsets.UTF_8), true))
      .contains(FileType.TEXT);
    assertThat(FileType.detect(bytes(0x7F, 'E', 'L', 'F', 2, 1, 1, 0), true)).isEmpty();
    assertThat(FileType.detect("<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8), true))
      .as("served as plain text, never as SVG").contains(FileType.TEXT);
    assertThat(FileType.detect(bytes(0xC3, 0x28), true)).as("malformed UTF-8").isEmpty();
    assertThat(FileType.detect(new byte[0], true)).isEmpty();
  }

  @Test
  @DisplayName("a character cut by the sample's end does not make text binary, unless the file ends there")
  void cutCharacter() {
    byte[] text = "✓✓✓".getBytes(StandardCharsets.UTF_8);
    byte[] head = Arrays.copyOf(text, text.length - 1);
    assertThat(FileType.detect(head, false)).contains(FileType.TEXT);
    assertThat(FileType.detect(head, true)).isEmpty();
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}

package io.codelabs.storage;

import java.text.Normalizer;

/**
 * File names as shown and offered on download. A client's name is only a label: files are stored
 * under keys the server chooses, so this just keeps the label harmless.
 */
public final class FileNames {
  static final int MAX_LENGTH = 150;
  private static final String RESERVED = "<>:\"|?*";

  private FileNames() {
  }

  /** The last path segment, without control, format (bidi) or reserved characters, nor leading dots. */
  public static String normalise(String raw) {
    String name = Normalizer.normalize(raw == null ? "" : raw, Normalizer.Form.NFC);
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    StringBuilder kept = new StringBuilder();
    name.codePoints()
      .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
      .map(c -> RESERVED.indexOf(c) >= 0 ? '_' : c)
      .forEach(kept::appendCodePoint);
    String cleaned = kept.toString().strip().replaceFirst("^[.\\s]+", "").strip();
    if (cleaned.codePointCount(0, cleaned.length()) > MAX_LENGTH) {
      int dot = cleaned.lastIndexOf('.');
      String extension = dot > 0 && cleaned.length() - dot <= 10 ? cleaned.substring(dot) : "";
      cleaned = cleaned.substring(0, cleaned.offsetByCodePoints(0, MAX_LENGTH - extension.length())) + extension;
    }
    return cleaned.isEmpty() ? "file" : cleaned;
  }
}

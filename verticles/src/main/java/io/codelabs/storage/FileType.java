package io.codelabs.storage;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of file the platform accepts, recognised by their first bytes, never by the name or
 * the type a client claims. Each carries the content type it is served with.
 */
public enum FileType {
  PNG("image/png", true),
  JPEG("image/jpeg", true),
  GIF("image/gif", true),
  WEBP("image/webp", true),
  PDF("application/pdf", false),
  ZIP("application/zip", false),
  TEXT("text/plain; charset=utf-8", false);

  /** How many leading bytes {@link #detect} looks at. */
  public static final int HEAD_BYTES = 8192;

  public final String contentType;
  public final boolean image;

  FileType(String contentType, boolean image) {
    this.contentType = contentType;
    this.image = image;
  }

  /**
   * The type of a file from its first bytes; {@code complete} says whether {@code head} is the whole
   * file (a multi-byte character cut at the end of a longer file is not a reason to refuse it).
   */
  public static Optional<FileType> detect(byte[] head, boolean complete) {
    if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(PNG);
    }
    if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(head, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, 'G', 'I', 'F', '8', '9', 'a')) {
      return Optional.of(GIF);
    }
    if (startsWith(head, 'R', 'I', 'F', 'F') && head.length >= 12
      && Arrays.equals(head, 8, 12, new byte[] {'W', 'E', 'B', 'P'}, 0, 4)) {
      return Optional.of(WEBP);
    }
    if (startsWith(head, '%', 'P', 'D', 'F', '-')) {
      return Optional.of(PDF);
    }
    if (startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 'P', 'K', 5, 6)) {
      return Optional.of(ZIP);
    }
    return isText(head, complete) ? Optional.of(TEXT) : Optional.empty();
  }

  /** The type a stored file was recorded with; anything unexpected is served as plain bytes. */
  public static Optional<FileType> ofContentType(String contentType) {
    return Arrays.stream(values()).filter(type -> type.contentType.equals(contentType)).findFirst();
  }

  /** UTF-8 without NUL or control characters other than tab, line breaks and form feed. */
  private static boolean isText(byte[] head, boolean complete) {
    if (head.length == 0) {
      return false;
    }
    for (byte b : head) {
      if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7F) {
        return false;
      }
    }
    int length = complete ? head.length : withoutCutCharacter(head);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      decoder.decode(ByteBuffer.wrap(head, 0, length));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** The length of {@code head} without a UTF-8 sequence the sample cut in two. */
  private static int withoutCutCharacter(byte[] head) {
    int lead = head.length - 1;
    while (lead > 0 && lead > head.length - 4 && (head[lead] & 0xC0) == 0x80) {
      lead--;
    }
    int needed = (head[lead] & 0xE0) == 0xC0 ? 2 : (head[lead] & 0xF0) == 0xE0 ? 3 : (head[lead] & 0xF8) == 0xF0 ? 4 : 1;
    return lead + needed > head.length ? lead : head.length;
  }

  private static boolean startsWith(byte[] head, int... signature) {
    if (head.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((head[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}

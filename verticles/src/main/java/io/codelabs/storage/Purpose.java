package io.codelabs.storage;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Why a file is uploaded, which decides the types allowed. */
public enum Purpose {
  SUBMISSION(EnumSet.of(FileType.ZIP, FileType.PDF, FileType.TEXT, FileType.PNG, FileType.JPEG, FileType.GIF,
    FileType.WEBP)),
  MATERIAL(EnumSet.of(FileType.ZIP, FileType.PDF, FileType.TEXT, FileType.PNG, FileType.JPEG, FileType.GIF,
    FileType.WEBP)),
  /** Shown inline in the browser, so only images. */
  IMAGE(EnumSet.of(FileType.PNG, FileType.JPEG, FileType.GIF, FileType.WEBP));

  public final Set<FileType> allowed;

  Purpose(Set<FileType> allowed) {
    this.allowed = allowed;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Purpose of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}

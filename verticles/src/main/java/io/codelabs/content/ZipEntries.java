package io.codelabs.content;

import io.codelabs.bus.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A ZIP's files read into memory under checks, never extracted to paths built from their names. Sizes the archive
 * declares are not trusted: bytes are counted while they are inflated and reading stops at the first limit.
 */
public final class ZipEntries {
  private static final int MAX_NAME_LENGTH = 512;
  /** Below this an entry's ratio says nothing: small repetitive text compresses very well. */
  private static final long RATIO_FLOOR_BYTES = 1 << 20;
  private static final Pattern UNSAFE_NAME = Pattern.compile("(^|/)\\.\\.(/|$)|^/|\\\\|^[A-Za-z]:|[\\x00-\\x1F\\x7F]");

  private ZipEntries() {
  }

  /** The files in archive order, folders and desktop clutter left out. */
  public static Map<String, byte[]> read(Path zip, ImportLimits limits) throws IOException {
    long zipBytes = Files.size(zip);
    try (ZipFile file = new ZipFile(zip.toFile())) {
      if (file.size() > limits.maxEntries()) {
        throw ErrorCode.INVALID.failure("The ZIP has " + file.size() + " entries; an import may have at most "
          + limits.maxEntries());
      }
      Map<String, byte[]> entries = new LinkedHashMap<>();
      long total = 0;
      Enumeration<? extends ZipEntry> all = file.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        String name = entry.getName();
        if (name.length() > MAX_NAME_LENGTH || UNSAFE_NAME.matcher(name).find()) {
          throw ErrorCode.INVALID.failure("The ZIP entry \"" + printable(name) + "\" has an unsafe name "
            + "(absolute, with .. or a backslash); nothing was imported");
        }
        if (entries.containsKey(name) || (entry.isDirectory() && entries.containsKey(name + "/"))) {
          throw ErrorCode.INVALID.failure("The ZIP holds \"" + printable(name) + "\" twice; nothing was imported");
        }
        if (entry.isDirectory() || ignored(name)) {
          continue;
        }
        byte[] bytes = inflate(file, entry, limits, limits.maxUncompressedBytes() - total);
        total += bytes.length;
        if (total > RATIO_FLOOR_BYTES && total > (long) limits.maxRatio() * Math.max(zipBytes, 1)) {
          throw bomb(limits);
        }
        entries.put(name, bytes);
      }
      return entries;
    } catch (ZipException e) {
      throw ErrorCode.INVALID.failure("Not a readable ZIP file: " + e.getMessage());
    }
  }

  private static byte[] inflate(ZipFile file, ZipEntry entry, ImportLimits limits, long totalLeft) throws IOException {
    long cap = Math.min(limits.maxEntryBytes(), totalLeft);
    try (InputStream in = file.getInputStream(entry)) {
      byte[] bytes = in.readNBytes((int) Math.min(cap + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > cap) {
        throw bytes.length > limits.maxEntryBytes()
          ? ErrorCode.TOO_LARGE.failure("\"" + printable(entry.getName()) + "\" is larger than "
            + limits.maxEntryBytes() + " bytes, the most one file may be; nothing was imported")
          : bomb(limits);
      }
      long compressed = Math.max(entry.getCompressedSize(), 1);
      if (bytes.length > RATIO_FLOOR_BYTES && bytes.length > compressed * limits.maxRatio()) {
        throw bomb(limits);
      }
      return bytes;
    }
  }

  private static RuntimeException bomb(ImportLimits limits) {
    return ErrorCode.TOO_LARGE.failure("The ZIP unpacks to more than an import may (at most "
      + limits.maxUncompressedBytes() + " bytes, and at most " + limits.maxRatio()
      + " times its own size); nothing was imported");
  }

  private static boolean ignored(String name) {
    return name.startsWith("__MACOSX/") || name.endsWith(".DS_Store") || name.endsWith("Thumbs.db");
  }

  static String printable(String name) {
    String visible = name.replaceAll("[\\x00-\\x1F\\x7F]", "?");
    return visible.length() > 100 ? visible.substring(0, 100) + "..." : visible;
  }
}

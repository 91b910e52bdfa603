package io.codelabs.raffle;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A raffle anyone can re-run: the winners follow from the seed and the eligible ids alone. The ids are sorted; a
 * SHA-256 counter stream of the seed (block i = SHA-256(seed || i as 8 bytes big-endian), read as 64-bit big-endian
 * numbers) drives a Fisher-Yates shuffle of the first places, each index drawn without modulo bias.
 */
public final class RaffleDraw {
  public static final int SEED_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private RaffleDraw() {
  }

  /** A fresh seed, as lower-case hex. */
  public static String newSeed() {
    byte[] seed = new byte[SEED_BYTES];
    RANDOM.nextBytes(seed);
    return HEX.formatHex(seed);
  }

  /** Up to {@code winners} distinct ids of {@code eligible}, in the order drawn. */
  public static List<String> draw(String seedHex, List<String> eligible, int winners) {
    List<String> pool = new ArrayList<>(eligible);
    Collections.sort(pool);
    Stream stream = new Stream(HEX.parseHex(seedHex));
    int places = Math.min(winners, pool.size());
    for (int place = 0; place < places; place++) {
      Collections.swap(pool, place, place + stream.below(pool.size() - place));
    }
    return List.copyOf(pool.subList(0, places));
  }

  private static final class Stream {
    private final MessageDigest sha256;
    private final byte[] seed;
    private long counter;
    private ByteBuffer block = ByteBuffer.allocate(0);

    Stream(byte[] seed) {
      this.seed = seed.clone();
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("Every Java runtime has SHA-256", e);
      }
    }

    /** Uniform in [0, bound): values of the last, incomplete bucket are drawn again. */
    int below(int bound) {
      long value;
      long bits;
      do {
        bits = next() >>> 1;
        value = bits % bound;
      } while (bits - value + (bound - 1) < 0);
      return (int) value;
    }

    private long next() {
      if (!block.hasRemaining()) {
        sha256.update(seed);
        sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(counter++).array());
        block = ByteBuffer.wrap(sha256.digest());
      }
      return block.getLong();
    }
  }
}

package io.codelabs.persistence;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The randomness of one writer batch, for ids and codes: HMAC-SHA256 of a counter, keyed with a seed
 * drawn once per batch from {@link SecureRandom}. Whoever runs the batch again with its seed draws the
 * same values, so a batch's rows depend only on the file it runs on, its time and its seed.
 */
final class Entropy {
  private static final SecureRandom SEEDS = new SecureRandom();
  private static final int SEED_BYTES = 32;

  private final Mac mac;
  private final ByteBuffer block = ByteBuffer.allocate(32);
  private long counter;

  private Entropy(byte[] seed) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(seed, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
    block.position(block.limit());
  }

  static byte[] newSeed() {
    byte[] seed = new byte[SEED_BYTES];
    SEEDS.nextBytes(seed);
    return seed;
  }

  static Entropy of(byte[] seed) {
    return new Entropy(seed);
  }

  void nextBytes(byte[] into) {
    for (int i = 0; i < into.length; i++) {
      if (!block.hasRemaining()) {
        refill();
      }
      into[i] = block.get();
    }
  }

  long nextLong() {
    byte[] bytes = new byte[Long.BYTES];
    nextBytes(bytes);
    return ByteBuffer.wrap(bytes).getLong();
  }

  /** Uniform in [0, bound): draws past the largest multiple of bound are drawn again. */
  int nextInt(int bound) {
    int limit = Integer.MAX_VALUE - Integer.MAX_VALUE % bound;
    for (;;) {
      int value = (int) (nextLong() >>> 33);
      if (value < limit) {
        return value % bound;
      }
    }
  }

  private void refill() {
    mac.update(ByteBuffer.allocate(Long.BYTES).putLong(0, counter++));
    block.clear();
    block.put(mac.doFinal());
    block.flip();
  }
}

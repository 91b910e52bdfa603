package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A batch's randomness")
class EntropyTest {

  @Test
  @DisplayName("draws the same values from the same seed and other values from another seed")
  void seeded() {
    byte[] seed = Entropy.newSeed();
    Entropy first = Entropy.of(seed);
    Entropy again = Entropy.of(seed.clone());
    Entropy other = Entropy.of(Entropy.newSeed());
    byte[] a = new byte[100];
    byte[] b = new byte[100];
    byte[] c = new byte[100];
    first.nextBytes(a);
    again.nextBytes(b);
    other.nextBytes(c);
    assertThat(b).isEqualTo(a);
    assertThat(c).isNotEqualTo(a);
    assertThat(first.nextLong()).isEqualTo(again.nextLong());
  }

  @Test
  @DisplayName("draws every value below a bound and none at or above it")
  void bounded() {
    Entropy entropy = Entropy.of(Entropy.newSeed());
    int[] seen = new int[29];
    IntStream.range(0, 29_000).forEach(i -> seen[entropy.nextInt(29)]++);
    assertThat(IntStream.of(seen).boxed().toList()).allMatch(count -> count > 700 && count < 1300);
  }
}

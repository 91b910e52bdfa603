package io.codelabs.raffle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Seeded raffle draws")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RaffleDrawTest {
  private static final List<String> IDS = IntStream.range(0, 40).mapToObj(i -> String.format("a%02d", i)).toList();

  @Test
  @DisplayName("the same seed and ids draw the same winners, whatever order the ids come in")
  void reproducible() {
    String seed = RaffleDraw.newSeed();
    List<String> shuffled = new ArrayList<>(IDS);
    Collections.shuffle(shuffled);
    assertThat(RaffleDraw.draw(seed, shuffled, 5)).isEqualTo(RaffleDraw.draw(seed, IDS, 5));
    assertThat(RaffleDraw.draw("00", IDS, 3)).as("the documented algorithm, re-run outside Java to get this vector")
      .containsExactly("a20", "a35", "a00");
    assertThat(seed).hasSize(2 * RaffleDraw.SEED_BYTES).matches("[0-9a-f]+");
  }

  @Test
  @DisplayName("winners are distinct, at most the eligible count, and every id can win")
  void distinctAndFair() {
    assertThat(RaffleDraw.draw(RaffleDraw.newSeed(), IDS, 50)).hasSize(40).doesNotHaveDuplicates()
      .containsExactlyInAnyOrderElementsOf(IDS);
    assertThat(RaffleDraw.draw(RaffleDraw.newSeed(), List.of(), 3)).isEmpty();
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      firsts.merge(RaffleDraw.draw(String.format("%04x", i), IDS.subList(0, 4), 1).get(0), 1, Integer::sum);
    }
    assertThat(firsts).hasSize(4);
    assertThat(firsts.values()).allSatisfy(count -> assertThat(count).isBetween(400, 600));
  }
}

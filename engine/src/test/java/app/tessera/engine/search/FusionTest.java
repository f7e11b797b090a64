package app.tessera.engine.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {

  @Test
  void sumsReciprocalRanksAndRemembersTheRankings() {
    Fusion fusion = new Fusion(60);
    fusion.add(MatchReason.IMAGE, List.of(1L, 2L, 3L));
    fusion.add(MatchReason.CAPTION_WORDS, List.of(3L, 1L));
    fusion.add(MatchReason.CAPTION_MEANING, List.of());

    List<Fusion.Entry> best = fusion.best(10);

    // 1: 1/61 + 1/62; 3: 1/63 + 1/61; 2: 1/62.
    assertThat(best).extracting(Fusion.Entry::id).containsExactly(1L, 3L, 2L);
    assertThat(best.get(0).score()).isCloseTo(1 / 61.0 + 1 / 62.0, within(1e-12));
    assertThat(best.get(1).score()).isCloseTo(1 / 63.0 + 1 / 61.0, within(1e-12));
    assertThat(best.get(0).reasons())
        .containsExactlyInAnyOrder(MatchReason.IMAGE, MatchReason.CAPTION_WORDS);
    assertThat(best.get(2).reasons()).containsExactly(MatchReason.IMAGE);
    assertThat(fusion.lists()).isEqualTo(2); // the empty ranking does not count
    assertThat(fusion.bestPossible()).isCloseTo(2 / 61.0, within(1e-12));
    assertThat(fusion.best(1)).extracting(Fusion.Entry::id).containsExactly(1L);
  }

  @Test
  void groupMembersShareTheirGroupsRankAndCountOncePerRanking() {
    Fusion fusion = new Fusion(0);
    // Image 7 (captions 70, 71) first, image 8 (caption 80) second; caption 71 is listed twice.
    fusion.addGroups(
        MatchReason.IMAGE, List.of(7L, 8L, 7L), id -> id == 7 ? List.of(70L, 71L) : List.of(80L));
    fusion.add(MatchReason.CAPTION_MEANING, List.of(80L, 71L));

    List<Fusion.Entry> best = fusion.best(10);

    // 71: 1/1 + 1/2 and 80: 1/2 + 1/1 tie, both first somewhere: the one seen first leads; 70: 1.
    assertThat(best).extracting(Fusion.Entry::id).containsExactly(71L, 80L, 70L);
    assertThat(best.get(0).score()).isCloseTo(1.5, within(1e-12));
    assertThat(best.get(2).score()).isCloseTo(1.0, within(1e-12));
  }
}

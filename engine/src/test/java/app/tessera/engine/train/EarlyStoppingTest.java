package app.tessera.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The loop bookkeeping every method shares. */
class EarlyStoppingTest {
  @Test
  void keepsTheBestEpochAndStopsAfterPatience() {
    EarlyStopping stopping = new EarlyStopping(2);
    assertThat(stopping.record(1, 0.3)).isTrue();
    assertThat(stopping.record(2, 0.5)).isTrue();
    assertThat(stopping.record(3, 0.4)).isFalse();
    assertThat(stopping.exhausted()).isFalse();
    assertThat(stopping.record(4, Double.NaN)).isFalse();
    assertThat(stopping.exhausted()).isTrue();
    assertThat(stopping.bestEpoch()).isEqualTo(2);
    assertThat(stopping.bestScore()).isEqualTo(0.5);
  }

  @Test
  void anUnscoredEpochIsKeptAndTheNextScoreBeatsIt() {
    EarlyStopping stopping = new EarlyStopping(1);
    assertThat(stopping.bestScore()).isNaN();
    assertThat(stopping.keepLatest(1)).isTrue();
    assertThat(stopping.bestScore()).isNaN();
    assertThat(stopping.record(2, 0.01)).isTrue();
    assertThat(stopping.bestEpoch()).isEqualTo(2);
  }

  @Test
  void zeroPatienceNeverStopsAndAResumedStateContinues() {
    EarlyStopping never = new EarlyStopping(0);
    for (int epoch = 1; epoch <= 5; epoch++) {
      never.record(epoch, 1.0 / epoch);
    }
    assertThat(never.exhausted()).isFalse();
    EarlyStopping resumed = EarlyStopping.resume(3, 4, 0.7, 2);
    assertThat(resumed.record(7, 0.6)).isFalse();
    assertThat(resumed.exhausted()).isTrue();
    assertThat(resumed.bestEpoch()).isEqualTo(4);
  }
}

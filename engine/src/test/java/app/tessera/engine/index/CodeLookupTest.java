package app.tessera.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link IndexSnapshot#code}: the stored code of an id, across segments, removals and repeats. */
class CodeLookupTest {
  @Test
  void findsTheLatestLiveCodeOfAnId() {
    HammingIndex index = new HammingIndex(96);
    index.add(new long[] {1, 2}, new long[] {10, 11, 20, 21});
    index.add(new long[] {3}, new long[] {30, 31});
    assertThat(index.snapshot().code(2))
        .hasValueSatisfying(c -> assertThat(c).containsExactly(20, 21));
    assertThat(index.snapshot().code(4)).isEmpty();

    IndexSnapshot before = index.snapshot();
    index.update(
        batch -> {
          batch.remove(new long[] {2});
          batch.add(new long[] {2}, new long[] {22, 23});
        });
    assertThat(index.snapshot().code(2))
        .hasValueSatisfying(c -> assertThat(c).containsExactly(22, 23));
    assertThat(before.code(2)).hasValueSatisfying(c -> assertThat(c).containsExactly(20, 21));
    index.remove(new long[] {3});
    assertThat(index.snapshot().code(3)).isEmpty();
  }
}

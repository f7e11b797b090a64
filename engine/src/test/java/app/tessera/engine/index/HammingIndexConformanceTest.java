package app.tessera.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.index.SyntheticCodes.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one suite every search strategy must pass: results identical to a brute-force oracle (ids,
 * distances, tie order and padding), on seeded uniform and clustered codes, at 16, 32, 48, 64, 128
 * and 256 bits, through several batches of adds and removes.
 */
abstract class HammingIndexConformanceTest {
  static final long SEED = 20261123L;

  /** The options that select the implementation under test. */
  abstract IndexOptions options();

  static Stream<Arguments> configurations() {
    List<Arguments> all = new ArrayList<>();
    for (int bits : new int[] {16, 32, 48, 64, 128, 256}) {
      for (Kind kind : Kind.values()) {
        all.add(Arguments.of(bits, kind));
      }
    }
    return all.stream();
  }

  /** An index and its oracle after batches of adds and removes of seeded codes. */
  record Fixture(HammingIndex index, BruteForceOracle oracle, SyntheticCodes codes, long seed) {}

  Fixture build(int bits, Kind kind, long seed) {
    SyntheticCodes codes = new SyntheticCodes(bits, kind, 12, seed);
    HammingIndex index = new HammingIndex(bits, options());
    BruteForceOracle oracle = new BruteForceOracle(bits);
    SplittableRandom random = new SplittableRandom(seed);
    long nextId = 0;
    int[] batchSizes = {900, 600, 1, 350, 200, 120, 64, 17, 500, 3};
    for (int b = 0; b < batchSizes.length; b++) {
      int n = batchSizes[b];
      long[] ids = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = nextId++;
      }
      long[] batch = codes.generate(n, seed + b);
      index.add(ids, batch);
      oracle.add(ids, batch);
      if (b % 3 == 2) {
        long[] gone = random.longs(n / 2 + 1, 0, nextId + 5).toArray(); // some unknown, repeats
        assertThat(index.remove(gone))
            .as("removed count, seed %d", seed)
            .isEqualTo(oracle.remove(gone));
      }
    }
    assertThat(index.size()).isEqualTo(oracle.size());
    return new Fixture(index, oracle, codes, seed);
  }

  List<long[]> queries(Fixture f) {
    int words = BinaryCodes.wordsPerCode(f.codes().bits());
    long[] drawn = f.codes().generate(20, f.seed() + 99);
    long[] uniform =
        new SyntheticCodes(f.codes().bits(), Kind.UNIFORM, 1, f.seed()).generate(10, 7);
    List<long[]> queries = new ArrayList<>();
    for (int q = 0; q < 20; q++) {
      queries.add(Arrays.copyOfRange(drawn, q * words, (q + 1) * words));
    }
    for (int q = 0; q < 10; q++) {
      queries.add(Arrays.copyOfRange(uniform, q * words, (q + 1) * words));
    }
    return queries;
  }

  @ParameterizedTest(name = "{0} bits, {1}")
  @MethodSource("configurations")
  void knnMatchesOracle(int bits, Kind kind) {
    long seed = SEED + bits * 31L + kind.ordinal();
    Fixture f = build(bits, kind, seed);
    for (long[] query : queries(f)) {
      for (int k : new int[] {1, 10, 100, f.oracle().size() + 5}) {
        assertSame(f.index().search(query, k), f.oracle().search(query, k, null), seed, "k=" + k);
      }
    }
  }

  @ParameterizedTest(name = "{0} bits, {1}")
  @MethodSource("configurations")
  void rangeSearchMatchesOracle(int bits, Kind kind) {
    long seed = SEED + bits * 37L + kind.ordinal();
    Fixture f = build(bits, kind, seed);
    for (long[] query : queries(f)) {
      for (int radius : new int[] {0, 2, bits / 8, bits / 4, bits / 2}) {
        assertSame(
            f.index().rangeSearch(query, radius),
            f.oracle().rangeSearch(query, radius, null),
            seed,
            "radius=" + radius);
      }
    }
  }

  @ParameterizedTest(name = "{0} bits, {1}")
  @MethodSource("configurations")
  void filteredSearchIsExact(int bits, Kind kind) {
    long seed = SEED + bits * 41L + kind.ordinal();
    Fixture f = build(bits, kind, seed);
    LongPredicate everyThird = id -> id % 3 == 0;
    for (long[] query : queries(f)) {
      assertSame(
          f.index().search(query, 25, everyThird),
          f.oracle().search(query, 25, everyThird),
          seed,
          "filtered k=25");
      assertSame(
          f.index().rangeSearch(query, bits / 4, everyThird),
          f.oracle().rangeSearch(query, bits / 4, everyThird),
          seed,
          "filtered range");
    }
  }

  @Test
  void tiesKeepInsertionOrderAcrossBatchesAndMerges() {
    HammingIndex index = new HammingIndex(64, options());
    long[] same = {0xF0F0L};
    for (long id = 50; id > 0; id--) { // descending ids, so id order and insertion order differ
      index.add(new long[] {id}, same);
    }
    index.add(new long[] {100, 101}, new long[] {0xF0F1L, 0xF0F0L});
    Neighbors top = index.search(same, 53);
    long[] expected = new long[53];
    for (int i = 0; i < 50; i++) {
      expected[i] = 50 - i;
    }
    expected[50] = 101;
    expected[51] = 100;
    expected[52] = -1;
    assertThat(top.ids()).containsExactly(expected);
    assertThat(top.distance(51)).isEqualTo(1);
    assertThat(top.distance(52)).isEqualTo(Integer.MAX_VALUE);
    assertThat(top.count()).isEqualTo(52);
  }

  @Test
  void reAddedIdGoesToTheEndOfTheTieOrder() {
    HammingIndex index = new HammingIndex(32, options());
    index.add(new long[] {1, 2, 3}, new long[] {7, 7, 7});
    assertThat(index.remove(new long[] {1})).isEqualTo(1);
    index.add(new long[] {1}, new long[] {7});
    assertThat(index.search(new long[] {7}, 3).ids()).containsExactly(2, 3, 1);
    assertThat(index.remove(new long[] {1, 1, 42})).isEqualTo(1);
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void snapshotsDoNotChangeWhenTheIndexDoes() {
    HammingIndex index = new HammingIndex(16, options());
    index.add(new long[] {1, 2}, new long[] {0x00FF, 0x0F0F});
    IndexSnapshot before = index.snapshot();
    index.update(
        batch -> {
          batch.remove(new long[] {1});
          batch.add(new long[] {3}, new long[] {0x00FF});
        });
    assertThat(before.search(new long[] {0x00FF}, 1).id(0)).isEqualTo(1);
    assertThat(before.size()).isEqualTo(2);
    assertThat(index.search(new long[] {0x00FF}, 1).id(0)).isEqualTo(3);
    assertThat(index.snapshot().generation()).isGreaterThan(before.generation());
  }

  @Test
  void rejectsMalformedInput() {
    HammingIndex index = new HammingIndex(48, options());
    assertThatThrownBy(() -> index.add(new long[] {1, 2}, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 ids need 2 longs");
    assertThatThrownBy(() -> index.add(new long[] {-1}, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.add(new long[] {1}, new long[] {1L << 50}))
        .hasMessageContaining("beyond its 48 bits");
    assertThatThrownBy(() -> index.search(new long[] {1, 2}, 3))
        .hasMessageContaining("48-bit query is 1 longs");
    assertThatThrownBy(() -> index.search(new long[] {1}, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.rangeSearch(new long[] {1}, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(index.size()).isZero();
    assertThat(index.search(new long[] {1}, 2).ids()).containsExactly(-1, -1);
  }

  private static void assertSame(Neighbors actual, Object[] expected, long seed, String what) {
    long[] ids = (long[]) expected[0];
    int[] distances = (int[]) expected[1];
    assertThat(actual.distances())
        .as("distances, %s, seed %d", what, seed)
        .containsExactly(distances);
    assertThat(actual.ids()).as("ids, %s, seed %d", what, seed).containsExactly(ids);
  }
}

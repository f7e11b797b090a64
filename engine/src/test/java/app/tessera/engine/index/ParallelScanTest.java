package app.tessera.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.index.SyntheticCodes.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scan split over partitions (more codes than one partition holds) merges to exactly the
 * oracle's answer, ties across partition borders included.
 */
class ParallelScanTest {
  private static final long SEED = 20261123L;

  @Test
  void largeIndexSearchedInParallelPartitionsMatchesOracle() {
    int n = 600_000; // above two partitions of 2^18 codes
    SyntheticCodes codes = new SyntheticCodes(64, Kind.CLUSTERED, 50, SEED);
    long[] all = codes.generate(n, SEED);
    all[n / 2 + 7] = all[5]; // exact duplicates in both halves: a tie across the border
    all[n - 3] = all[5];
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> n - i); // descending ids: tie order must come from insertion
    HammingIndex index =
        new HammingIndex(64, IndexOptions.defaults().withStrategy(Strategy.SCAN).withThreads(4));
    index.add(ids, all);
    BruteForceOracle oracle = new BruteForceOracle(64);
    oracle.add(ids, all);
    long[] gone = new SplittableRandom(SEED).longs(5000, 1, n + 1).toArray();
    assertThat(index.remove(gone)).isEqualTo(oracle.remove(gone));
    for (long[] query :
        List.of(new long[] {all[5]}, new long[] {all[n - 1] ^ 0xFFL}, new long[] {0L})) {
      check(index.search(query, 100), oracle.search(query, 100, null), "k=100");
      check(index.search(query, 1), oracle.search(query, 1, null), "k=1");
      check(index.rangeSearch(query, 4), oracle.rangeSearch(query, 4, null), "r=4");
    }
  }

  private static void check(Neighbors actual, Object[] expected, String what) {
    assertThat(actual.distances())
        .as("%s, seed %d", what, SEED)
        .containsExactly((int[]) expected[1]);
    assertThat(actual.ids()).as("%s, seed %d", what, SEED).containsExactly((long[]) expected[0]);
  }
}

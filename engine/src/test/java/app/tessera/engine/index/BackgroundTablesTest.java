package app.tessera.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.index.SyntheticCodes.Kind;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Tables built in the background arrive in a later snapshot without changing any result, keep the
 * removals made while they were being built, and leave earlier snapshots as they were.
 */
class BackgroundTablesTest {
  private static final long SEED = 99L;

  @Test
  void tablesArriveLaterAndChangeNoResult() throws InterruptedException {
    int n = 20_000;
    SyntheticCodes gen = new SyntheticCodes(64, Kind.CLUSTERED, 40, SEED);
    long[] codes = gen.generate(n, SEED);
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    HammingIndex index =
        new HammingIndex(
            64,
            IndexOptions.defaults()
                .withStrategy(Strategy.MULTI_INDEX)
                .withMultiIndexMinSize(10_000)
                .withTablesInBackground(true));
    // Hold the (single) table builder until the snapshot before the tables has been taken: on a
    // fast machine the tables of 20,000 codes can otherwise be ready before snapshot() returns.
    CountDownLatch release = new CountDownLatch(1);
    HammingIndex.TABLE_BUILDER.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    index.add(ids, codes);
    IndexSnapshot beforeTables = index.snapshot();
    long[] removed = {3, 4, 5, 19_999};
    index.remove(removed);
    release.countDown();

    long deadline = System.nanoTime() + 60_000_000_000L;
    while (index.snapshot().multiIndexSegmentCount() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    IndexSnapshot withTables = index.snapshot();
    assertThat(withTables.multiIndexSegmentCount()).as("tables installed").isEqualTo(1);
    assertThat(beforeTables.multiIndexSegmentCount()).isZero();
    assertThat(beforeTables.size()).isEqualTo(n);
    assertThat(withTables.size()).isEqualTo(n - removed.length);

    IndexSnapshot scanned = withTables.withStrategy(Strategy.SCAN);
    long[] queries = gen.generate(20, SEED + 1);
    for (int q = 0; q < 20; q++) {
      long[] query = {queries[q]};
      Neighbors viaTables = withTables.search(query, 50);
      assertThat(viaTables.ids())
          .as("seed %d", SEED)
          .containsExactly(scanned.search(query, 50).ids());
      assertThat(viaTables.ids()).doesNotContain(removed);
    }
    assertThat(beforeTables.search(new long[] {codes[4]}, 1).distance(0)).isZero();
  }
}

package app.tessera.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Searches racing a writer that adds and removes whole batches: every search must see each batch
 * entirely or not at all, and no search may fail.
 */
class ConcurrentSnapshotTest {
  private static final int BATCH = 40;
  private static final int BATCHES = 400;
  private static final long SEED = 77L;

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void searchesNeverSeeAPartialBatch(Strategy strategy) throws InterruptedException {
    HammingIndex index =
        new HammingIndex(
            64, IndexOptions.defaults().withStrategy(strategy).withMultiIndexMinSize(64));
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong checks = new AtomicLong();
    CountDownLatch readersStarted = new CountDownLatch(2);

    Thread writer =
        Thread.ofPlatform()
            .name("test-writer")
            .start(
                () -> {
                  SplittableRandom random = new SplittableRandom(SEED);
                  List<Long> live = new ArrayList<>();
                  try {
                    readersStarted.await(); // so searches overlap the writes
                    for (long b = 0; b < BATCHES; b++) {
                      long batch = b;
                      if (b % 4 == 3 && !live.isEmpty()) {
                        // Replace an old batch by a new one atomically.
                        long old = live.remove(random.nextInt(live.size()));
                        index.update(
                            edits -> {
                              edits.remove(idsOf(old));
                              edits.add(idsOf(batch), codesOf(batch, random));
                            });
                      } else {
                        index.add(idsOf(batch), codesOf(batch, random));
                      }
                      live.add(batch);
                    }
                  } catch (RuntimeException | Error | InterruptedException e) {
                    failures.add("writer: " + e);
                  } finally {
                    writing.set(false);
                  }
                });

    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      long readerSeed = SEED + r;
      readers.add(
          Thread.ofPlatform()
              .name("test-reader-" + r)
              .start(
                  () -> {
                    SplittableRandom random = new SplittableRandom(readerSeed);
                    readersStarted.countDown();
                    int done = 0;
                    while ((writing.get() || done < 50) && failures.isEmpty()) {
                      done++;
                      try {
                        IndexSnapshot snapshot = index.snapshot();
                        long[] query = {random.nextLong()};
                        Neighbors all = snapshot.rangeSearch(query, 64);
                        checkWholeBatches(all, snapshot.size(), failures);
                        Neighbors top = index.search(query, 30);
                        checkWholeBatches(
                            index.search(query, (int) Math.min(snapshot.size(), 5000)),
                            -1,
                            failures);
                        if (top.count() > 30) {
                          failures.add("too many results");
                        }
                        checks.incrementAndGet();
                      } catch (RuntimeException | Error e) {
                        failures.add("reader: " + e);
                      }
                    }
                  }));
    }
    writer.join();
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(failures).as("seed %d", SEED).isEmpty();
    assertThat(checks.get()).isPositive();
    assertThat(index.size()).isEqualTo((long) BATCHES * BATCH - (BATCHES / 4) * BATCH);
  }

  /** Fails unless each batch present has all of its codes (when the result holds everything). */
  private static void checkWholeBatches(
      Neighbors result, long expectedCount, ConcurrentLinkedQueue<String> failures) {
    if (expectedCount >= 0 && result.count() != expectedCount) {
      failures.add("range search found " + result.count() + " of " + expectedCount);
    }
    if (expectedCount < 0) {
      return; // a k-NN cut may split a batch; only check that it ran
    }
    java.util.Map<Long, Integer> perBatch = new java.util.HashMap<>();
    for (int i = 0; i < result.count(); i++) {
      perBatch.merge(result.id(i) / BATCH, 1, Integer::sum);
    }
    perBatch.forEach(
        (batch, n) -> {
          if (n != BATCH) {
            failures.add("batch " + batch + " seen with " + n + " of " + BATCH + " codes");
          }
        });
  }

  private static long[] idsOf(long batch) {
    long[] ids = new long[BATCH];
    for (int i = 0; i < BATCH; i++) {
      ids[i] = batch * BATCH + i;
    }
    return ids;
  }

  private static long[] codesOf(long batch, SplittableRandom random) {
    long[] codes = new long[BATCH];
    for (int i = 0; i < BATCH; i++) {
      codes[i] = random.nextLong();
    }
    return codes;
  }
}

package app.tessera.engine.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The one pool that scan partitions run on: a fixed number of named daemon threads (one fewer than
 * the cores, since the querying thread scans a partition itself), shared by every index.
 */
final class ScanPool {
  private static final int WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          WORKERS, Thread.ofPlatform().name("tessera-index-scan-", 1).daemon().factory());

  private ScanPool() {}

  /** Most partitions worth making: the workers plus the calling thread. */
  static int parallelism() {
    return WORKERS + 1;
  }

  /** Runs the tasks, the first on the calling thread, and returns their results in order. */
  static List<long[]> run(List<Supplier<long[]>> tasks) {
    List<Future<long[]>> pending = new ArrayList<>(tasks.size());
    for (int i = 1; i < tasks.size(); i++) {
      pending.add(POOL.submit(tasks.get(i)::get));
    }
    List<long[]> results = new ArrayList<>(tasks.size());
    try {
      results.add(tasks.getFirst().get());
      for (Future<long[]> f : pending) {
        results.add(f.get());
      }
    } catch (InterruptedException e) {
      pending.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new CancellationException("search interrupted");
    } catch (ExecutionException e) {
      pending.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (RuntimeException | Error e) {
      pending.forEach(f -> f.cancel(true));
      throw e;
    }
    return results;
  }
}

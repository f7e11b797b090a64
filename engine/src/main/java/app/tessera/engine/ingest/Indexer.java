package app.tessera.engine.ingest;

import app.tessera.engine.Cancellation;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.store.Catalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Indexes root folders into a {@link Catalog}, in three stages.
 *
 * <ol>
 *   <li>{@link ScanPlanner}: scans the roots (no file is read) and compares each file with its
 *       catalogue row; unchanged files (same path, size and mtime) are skipped.
 *   <li>{@link DecodePipeline}: reads the new and changed files on a pool sized to the cores. New
 *       files are identified by {@link Fingerprint}: known content at a new path is a move (or a
 *       copy) and is not decoded again.
 *   <li>{@link CatalogWriter}: this thread, the single writer, commits the outcomes in small
 *       transactions, so a killed run loses at most the last batch and the next run redoes it.
 * </ol>
 *
 * Files that vanished from an online root are then marked missing (only {@code tessera prune}
 * deletes rows); an absent root marks its files offline and changes nothing else. Library files are
 * opened read-only and never written, moved or deleted.
 */
public final class Indexer {
  private final Catalog catalog;
  private final IngestOptions options;
  private final Cancellation cancel;

  public Indexer(Catalog catalog, IngestOptions options) {
    this(catalog, options, new Cancellation());
  }

  /** An indexer that stops soon after {@code cancel} is cancelled; what it did by then is kept. */
  public Indexer(Catalog catalog, IngestOptions options, Cancellation cancel) {
    this.catalog = catalog;
    this.options = options;
    this.cancel = cancel;
  }

  /** Asks a running {@link #index} to stop soon; what was done so far is kept. */
  public void cancel() {
    cancel.cancel();
  }

  /**
   * Indexes {@code folders} (registering new roots; a folder inside a registered root re-scans that
   * part of it). With no folders, every registered root is re-scanned.
   */
  public IndexReport index(List<Path> folders, IndexListener listener) throws IOException {
    long start = System.nanoTime();
    Tally tally = new Tally(listener);
    listener.phase(IndexListener.Phase.SCANNING, folders.size());
    ScanPlanner planner = new ScanPlanner(catalog, options, cancel::isCancelled, tally);
    ScanPlanner.Plan plan = planner.plan(folders);

    listener.phase(IndexListener.Phase.PROCESSING, plan.tasks().size());
    Set<String> knownContent = ConcurrentHashMap.newKeySet();
    knownContent.addAll(catalog.read(tx -> tx.images().fingerprints()));
    CatalogWriter writer =
        new CatalogWriter(catalog, options, plan.vanished(), knownContent, tally);
    new DecodePipeline(options, cancel, listener).run(plan.tasks(), knownContent, writer::write);

    if (!cancel.isCancelled()) {
      planner.finish(plan);
    }
    listener.phase(IndexListener.Phase.DONE, 0);
    return tally.report((System.nanoTime() - start) / 1e9, cancel.isCancelled());
  }
}

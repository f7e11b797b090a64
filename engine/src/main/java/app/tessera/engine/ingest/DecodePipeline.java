package app.tessera.engine.ingest;

import app.tessera.engine.Cancellation;
import app.tessera.engine.IndexListener;
import app.tessera.engine.ingest.FileScanner.ScannedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Stage 2 of {@link Indexer}: reads the planned files on a pool sized to the cores (fingerprint,
 * metadata, sidecars and, for content not seen before, the pixels) and hands the outcomes, in
 * batches, to the single writer on the calling thread.
 */
final class DecodePipeline {
  /** A batch ends after this long, or at {@link IngestOptions#batch} files. */
  private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final IngestOptions options;
  private final ImageFileReader reader;
  private final Cancellation cancel;
  private final IndexListener listener;

  DecodePipeline(IngestOptions options, Cancellation cancel, IndexListener listener) {
    this.options = options;
    this.reader = new ImageFileReader(options.sizes(), options.labelsFromFolders());
    this.cancel = cancel;
    this.listener = listener;
  }

  /**
   * Reads {@code tasks} and gives every outcome to {@code writer}, a batch at a time, on this
   * thread; stops early when cancelled (what was read by then is still written) and reads nothing
   * new while paused. {@code knownContent} (fingerprints already in the catalogue, grown by the
   * writer) spares decoding content that is only moved or copied.
   */
  void run(List<Task> tasks, Set<String> knownContent, Consumer<List<Outcome>> writer) {
    if (tasks.isEmpty()) {
      return;
    }
    AtomicInteger threadNo = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.threads(),
            r -> {
              Thread t = new Thread(r, "tessera-ingest-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    LinkedBlockingQueue<Outcome> results = new LinkedBlockingQueue<>();
    // Bounds the results held in memory while keeping every worker busy during a commit. It only
    // fills when the writer is behind, which happens with small files (results of a few KB);
    // photos take so long to decode that the writer always keeps up.
    int window = options.threads() * 8 + 4 * options.batch();
    int submitted = 0;
    int done = 0;
    try {
      List<Outcome> batch = new ArrayList<>();
      long batchStart = System.nanoTime();
      while (done < submitted || (submitted < tasks.size() && !cancel.isCancelled())) {
        if (cancel.isPaused() && done == submitted && batch.isEmpty()) {
          cancel.awaitResumed(); // paused: nothing in flight, everything read is written
        }
        while (submitted < tasks.size()
            && submitted - done < window
            && !cancel.isCancelled()
            && !cancel.isPaused()) {
          Task task = tasks.get(submitted++);
          pool.execute(() -> results.add(read(task, knownContent)));
        }
        Outcome outcome = results.poll(50, TimeUnit.MILLISECONDS);
        if (outcome != null) {
          int before = batch.size();
          if (before == 0) {
            batchStart = System.nanoTime();
          }
          batch.add(outcome);
          results.drainTo(batch);
          done += batch.size() - before;
        }
        if (!batch.isEmpty()
            && (batch.size() >= options.batch()
                || System.nanoTime() - batchStart > BATCH_NANOS
                || done == tasks.size()
                || cancel.isCancelled())) {
          writer.accept(batch);
          batch.clear();
          batchStart = System.nanoTime();
          listener.progress(done, tasks.size());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel.cancel();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Worker side: fingerprint, metadata, sidecars and, for unknown content, the pixels. */
  private Outcome read(Task task, Set<String> knownContent) {
    ScannedFile file = task.file();
    List<ImageFileReader.Sidecar> sidecars =
        file.sidecars().stream().map(ImageFileReader.Sidecar::of).toList();
    try {
      if (task.kind() == Task.Kind.SIDECARS) {
        Extracted extracted =
            reader.read(file.path(), null, sidecars, file.folder(), false).extracted();
        return new Outcome(task, task.prior().fingerprint(), null, extracted, null);
      }
      if (file.size() == 0) {
        return Outcome.failed(task, "empty file (0 bytes)");
      }
      // Small files are read once, whole: their fingerprint is a hash of everything anyway.
      boolean small = file.size() <= 2L * Fingerprint.SPAN;
      byte[] bytes = small ? readAll(file.path()) : null;
      String fingerprint = small ? Fingerprint.of(bytes) : Fingerprint.of(file.path());
      if (knownContent.contains(fingerprint)) {
        Extracted extracted =
            reader.read(file.path(), bytes, sidecars, file.folder(), false).extracted();
        return new Outcome(task, fingerprint, null, extracted, null);
      }
      if (bytes == null
          && ImageFileReader.readWhole(file.path().getFileName().toString(), file.size())) {
        bytes = readAll(file.path());
        fingerprint = Fingerprint.of(bytes); // the bytes decoded are the bytes identified
      }
      ImageFileReader.Content content =
          reader.read(file.path(), bytes, sidecars, file.folder(), true);
      listener.decoded(file.path());
      return new Outcome(task, fingerprint, content.decoded(), content.extracted(), null);
    } catch (DecodeException
        | IOException
        | OutOfMemoryError
        | RuntimeException
        | StackOverflowError e) {
      return Outcome.failed(task, ImageFileReader.failure(e));
    }
  }

  private static byte[] readAll(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) { // read-only
      return in.readAllBytes();
    }
  }
}

package app.tessera.engine.ingest;

import app.tessera.engine.Cancellation;
import app.tessera.engine.IndexListener;
import app.tessera.engine.ingest.FileScanner.ScannedFile;
import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewLabel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

  /** Files up to this size are read into memory once (fingerprint, metadata and pixels). */
  private static final long IN_MEMORY_LIMIT = 96L << 20;

  private final IngestOptions options;
  private final ImageDecoder decoder;
  private final Cancellation cancel;
  private final IndexListener listener;

  DecodePipeline(IngestOptions options, Cancellation cancel, IndexListener listener) {
    this.options = options;
    this.decoder = new ImageDecoder(options.sizes());
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
    try {
      if (task.kind() == Task.Kind.SIDECARS) {
        MetadataReader.Embedded embedded = MetadataReader.embedded(file.path(), null);
        return new Outcome(task, task.prior().fingerprint(), null, extract(file, embedded), null);
      }
      if (file.size() == 0) {
        return Outcome.failed(task, "empty file (0 bytes)");
      }
      // Small files are read once, whole: their fingerprint is a hash of everything anyway.
      boolean small = file.size() <= 2L * Fingerprint.SPAN;
      byte[] bytes = small ? readAll(file.path()) : null;
      String fingerprint = small ? Fingerprint.of(bytes) : Fingerprint.of(file.path());
      if (knownContent.contains(fingerprint)) {
        MetadataReader.Embedded embedded = MetadataReader.embedded(file.path(), bytes);
        return new Outcome(task, fingerprint, null, extract(file, embedded), null);
      }
      String ext = FileScanner.ext(file.path().getFileName().toString());
      long limit =
          ImageDecoder.RAW_EXTENSIONS.contains(ext) ? 4 * IN_MEMORY_LIMIT : IN_MEMORY_LIMIT;
      if (bytes == null && file.size() <= limit) {
        bytes = readAll(file.path());
        fingerprint = Fingerprint.of(bytes); // the bytes decoded are the bytes identified
      }
      MetadataReader.Embedded embedded = MetadataReader.embedded(file.path(), bytes);
      Extracted extracted = extract(file, embedded);
      ImageDecoder.Decoded decoded = decoder.decode(file.path(), bytes, embedded.orientation());
      listener.decoded(file.path());
      return new Outcome(task, fingerprint, decoded, extracted, null);
    } catch (DecodeException e) {
      return Outcome.failed(task, e.getMessage());
    } catch (NoSuchFileException e) {
      return Outcome.failed(task, "vanished while indexing");
    } catch (AccessDeniedException e) {
      return Outcome.failed(task, "permission denied");
    } catch (IOException e) {
      return Outcome.failed(task, "unreadable: " + e.getMessage());
    } catch (OutOfMemoryError e) {
      return Outcome.failed(task, "out of memory while reading");
    } catch (RuntimeException | StackOverflowError e) {
      return Outcome.failed(task, "unexpected error: " + e);
    }
  }

  private static byte[] readAll(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) { // read-only
      return in.readAllBytes();
    }
  }

  /** Captions and labels from the file's metadata, its sidecars and (if asked) its folder. */
  private Extracted extract(ScannedFile file, MetadataReader.Embedded embedded) {
    List<NewCaption> captions = new ArrayList<>();
    List<NewLabel> labels = new ArrayList<>();
    MetadataReader.sidecars(file.sidecars(), captions, labels);
    captions.addAll(embedded.captions());
    labels.addAll(embedded.labels());
    if (options.labelsFromFolders() && file.folder() != null) {
      labels.add(new NewLabel("folder", file.folder()));
    }
    return new Extracted(MetadataReader.distinct(captions), labels);
  }
}

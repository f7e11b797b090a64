package app.tessera.engine.ingest;

import app.tessera.engine.ingest.FileScanner.ScannedFile;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.LibraryRecords;
import app.tessera.engine.store.LibraryRecords.FileRow;
import app.tessera.engine.store.LibraryRecords.NewCaption;
import app.tessera.engine.store.LibraryRecords.Root;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Indexes root folders into a {@link Catalog}.
 *
 * <p>A run scans the roots (no file is read), compares each file with its catalogue row, and only
 * reads new or changed files: unchanged files (same path, size and mtime) are skipped. New files
 * are identified by {@link Fingerprint}: known content at a new path is a move (or a copy) and is
 * not decoded again. Decoding runs on a pool sized to the cores; this thread is the single writer
 * and commits results in small transactions, so a killed run loses at most the last batch and the
 * next run simply redoes it. Files that vanished from an online root are marked missing (only
 * {@code tessera prune} deletes rows); an absent root marks its files offline and changes nothing
 * else. Library files are opened read-only and never written, moved or deleted.
 */
public final class Indexer {
  /** Phases reported to {@link IndexListener#phase}. */
  public enum Phase {
    SCANNING,
    PROCESSING,
    DONE
  }

  /** A transaction ends after this long, or at {@link IndexOptions#batch} files. */
  private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final Catalog catalog;
  private final IndexOptions options;
  private final ImageFileReader reader;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  public Indexer(Catalog catalog, IndexOptions options) {
    this.catalog = catalog;
    this.options = options;
    this.reader = new ImageFileReader(options.sizes(), options.labelsFromFolders());
  }

  /** Asks a running {@link #index} to stop soon; what was done so far is kept. */
  public void cancel() {
    cancelled.set(true);
  }

  /** Indexes every registered root. */
  public IndexReport indexAll(IndexListener listener) throws IOException {
    return index(List.of(), listener);
  }

  /**
   * Indexes {@code folders} (registering new roots; a folder inside a registered root re-scans that
   * part of it). With no folders, every registered root is re-scanned.
   */
  public IndexReport index(List<Path> folders, IndexListener listener) throws IOException {
    long start = System.nanoTime();
    Counts counts = new Counts();
    listener.phase(Phase.SCANNING, folders.size());

    // 1. Roots and scopes; 2. scan and compare with the catalogue.
    Map<Root, List<Path>> scopes = scopes(folders, counts, listener);
    Plan plan = plan(scopes, counts, listener);

    // 3. Read, decode and write the new and changed files.
    listener.phase(Phase.PROCESSING, plan.tasks().size());
    Set<String> knownContent = ConcurrentHashMap.newKeySet();
    knownContent.addAll(catalog.read(LibraryRecords::fingerprints));
    process(plan.tasks(), plan.vanished(), knownContent, counts, listener);

    // 4. Whatever vanished and did not turn up elsewhere is missing.
    if (!cancelled.get()) {
      catalog.write(
          c -> {
            for (FileRow row : plan.vanished().values()) {
              LibraryRecords.setPresence(c, row.id(), "missing");
            }
            for (Root root : plan.scannedRoots()) {
              LibraryRecords.setRootState(c, root.id(), "online", true);
            }
            return null;
          });
      counts.missing += plan.vanished().size();
    }
    listener.phase(Phase.DONE, 0);
    return new IndexReport(
        counts.added,
        counts.updated,
        counts.moved,
        counts.unchanged,
        counts.missing,
        counts.offline,
        counts.failures.size(),
        List.copyOf(counts.failures),
        (System.nanoTime() - start) / 1e9,
        cancelled.get());
  }

  /** The root (registered now if new) and the folders to scan in it, for each folder given. */
  private Map<Root, List<Path>> scopes(List<Path> folders, Counts counts, IndexListener listener) {
    List<Root> roots = catalog.read(LibraryRecords::roots);
    Map<Root, List<Path>> scopes = new LinkedHashMap<>();
    if (folders.isEmpty()) {
      for (Root r : roots) {
        scopes.put(r, new ArrayList<>(List.of(Path.of(r.path()))));
      }
    }
    for (Path folder : folders) {
      Path abs = folder.toAbsolutePath().normalize();
      Root owner = null;
      for (Root r : roots) {
        Path rp = Path.of(r.path());
        if (abs.startsWith(rp)
            && (owner == null || rp.getNameCount() > Path.of(owner.path()).getNameCount())) {
          owner = r;
        }
      }
      if (owner == null) {
        if (!Files.isDirectory(abs)) {
          counts.fail(
              listener, abs.toString(), Files.exists(abs) ? "not a folder" : "no such folder");
          continue;
        }
        owner = catalog.write(c -> LibraryRecords.addRoot(c, abs.toString()));
        roots.add(owner);
      }
      scopes.computeIfAbsent(owner, r -> new ArrayList<>()).add(abs);
    }
    return scopes;
  }

  /** What a scan found to do: files to read, files that vanished, roots scanned. */
  private record Plan(List<Task> tasks, Map<Long, FileRow> vanished, List<Root> scannedRoots) {}

  /**
   * Scans the scopes and compares them with the catalogue; marks absent roots offline, restores
   * files that came back unchanged, and adds folder labels to unchanged files when asked.
   */
  private Plan plan(Map<Root, List<Path>> scopes, Counts counts, IndexListener listener)
      throws IOException {
    Set<Path> allRoots = new HashSet<>();
    for (Root r : catalog.read(LibraryRecords::roots)) {
      allRoots.add(Path.of(r.path()));
    }
    List<Task> tasks = new ArrayList<>();
    List<FileRow> restored = new ArrayList<>();
    Map<Long, String> folderLabels = new HashMap<>(); // item -> folder name
    Map<Long, FileRow> vanished = new HashMap<>();
    List<Root> scannedRoots = new ArrayList<>();
    for (Map.Entry<Root, List<Path>> entry : scopes.entrySet()) {
      Root root = entry.getKey();
      Path rootPath = Path.of(root.path());
      Map<String, FileRow> known = catalog.read(c -> LibraryRecords.files(c, root.id()));
      if (isAbsent(rootPath, known)) {
        counts.offline += catalog.write(c -> LibraryRecords.markRootOffline(c, root.id()));
        continue;
      }
      for (Path scope : entry.getValue()) {
        FileScanner.Result scan;
        String scopeRel = FileScanner.relative(rootPath, scope);
        try {
          scan =
              Files.exists(scope)
                  ? FileScanner.scan(root.id(), rootPath, scope, allRoots, cancelled::get)
                  : new FileScanner.Result(List.of(), List.of(), List.of());
        } catch (IOException e) {
          counts.fail(listener, scope.toString(), "cannot scan: " + e);
          continue;
        }
        for (IndexReport.Failure f : scan.failures()) {
          counts.fail(listener, f.path(), f.reason());
        }
        Set<String> seen = new HashSet<>();
        for (ScannedFile file : scan.files()) {
          seen.add(file.relPath());
          FileRow row = known.get(file.relPath());
          if (row == null) {
            tasks.add(new Task(file, null, Kind.NEW));
          } else if (row.size() != file.size() || row.mtimeNs() != file.mtimeNs()) {
            tasks.add(new Task(file, row, Kind.CHANGED));
          } else if (row.itemId() != null && row.sidecarStamp() != file.sidecarStamp()) {
            tasks.add(new Task(file, row, Kind.SIDECARS));
          } else {
            counts.unchanged++;
            if (!"present".equals(row.presence())) {
              restored.add(row);
            }
            if (options.labelsFromFolders() && row.itemId() != null && file.folder() != null) {
              folderLabels.put(row.itemId(), file.folder());
            }
          }
        }
        if (cancelled.get()) {
          break;
        }
        for (FileRow row : known.values()) {
          if (!seen.contains(row.relPath())
              && !"missing".equals(row.presence())
              && inScope(row.relPath(), scopeRel)
              && scan.unreadable().stream().noneMatch(u -> inScope(row.relPath(), u))) {
            vanished.put(row.id(), row);
          }
        }
      }
      scannedRoots.add(root);
    }
    catalog.write(
        c -> {
          for (FileRow row : restored) {
            LibraryRecords.setPresence(c, row.id(), "present");
          }
          for (Map.Entry<Long, String> label : folderLabels.entrySet()) {
            LibraryRecords.addLabel(c, label.getKey(), "folder", label.getValue());
          }
          return null;
        });

    return new Plan(tasks, vanished, scannedRoots);
  }

  /**
   * A root is absent when its folder is gone, or when it is an empty folder although the catalogue
   * holds files for it (an unmounted drive often leaves its empty mount point behind).
   */
  private static boolean isAbsent(Path root, Map<String, FileRow> known) throws IOException {
    if (!Files.isDirectory(root)) {
      return true;
    }
    if (known.values().stream().noneMatch(r -> "present".equals(r.presence()))) {
      return false;
    }
    try (var entries = Files.list(root)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false; // unreadable: reported by the scan
    }
  }

  private static boolean inScope(String relPath, String scope) {
    return scope.isEmpty() || relPath.equals(scope) || relPath.startsWith(scope + "/");
  }

  private enum Kind {
    NEW,
    CHANGED,
    SIDECARS
  }

  private record Task(ScannedFile file, FileRow prior, Kind kind) {}

  /** The result of reading one file, applied by the writer. */
  private record Outcome(
      Task task,
      String fingerprint,
      ImageDecoder.Decoded decoded,
      Extracted extracted,
      String failure) {}

  private static final class Counts {
    int added;
    int updated;
    int moved;
    int unchanged;
    int missing;
    int offline;
    final List<IndexReport.Failure> failures = new ArrayList<>();

    void fail(IndexListener listener, String path, String reason) {
      failures.add(new IndexReport.Failure(path, reason));
      listener.failed(path, reason);
    }
  }

  private void process(
      List<Task> tasks,
      Map<Long, FileRow> vanished,
      Set<String> knownContent,
      Counts counts,
      IndexListener listener) {
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
      while (done < submitted || (submitted < tasks.size() && !cancelled.get())) {
        while (submitted < tasks.size() && submitted - done < window && !cancelled.get()) {
          Task task = tasks.get(submitted++);
          pool.execute(() -> results.add(read(task, knownContent, listener)));
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
                || cancelled.get())) {
          write(batch, vanished, knownContent, counts, listener);
          batch.clear();
          batchStart = System.nanoTime();
          listener.progress(done, tasks.size());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelled.set(true);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Worker side: fingerprint, metadata, sidecars and, for unknown content, the pixels. */
  private Outcome read(Task task, Set<String> knownContent, IndexListener listener) {
    ScannedFile file = task.file();
    List<ImageFileReader.Sidecar> sidecars =
        file.sidecars().stream().map(ImageFileReader.Sidecar::of).toList();
    try {
      if (task.kind() == Kind.SIDECARS) {
        Extracted extracted =
            reader.read(file.path(), null, sidecars, file.folder(), false).extracted();
        return new Outcome(task, task.prior().fingerprint(), null, extracted, null);
      }
      if (file.size() == 0) {
        return new Outcome(task, null, null, null, "empty file (0 bytes)");
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
      return new Outcome(task, null, null, null, ImageFileReader.failure(e));
    }
  }

  private static byte[] readAll(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) { // read-only
      return in.readAllBytes();
    }
  }

  /**
   * Writer side: applies a batch in one transaction. New images (a new path, content never seen)
   * are inserted together; everything else, and those too if that fails, one outcome at a time
   * under its own savepoint, so that one bad outcome costs only itself.
   */
  private void write(
      List<Outcome> batch,
      Map<Long, FileRow> vanished,
      Set<String> knownContent,
      Counts counts,
      IndexListener listener) {
    catalog.write(
        c -> {
          List<Outcome> newImages = new ArrayList<>();
          List<Outcome> others = new ArrayList<>();
          Set<String> inBatch = new HashSet<>();
          for (Outcome outcome : batch) {
            boolean newImage =
                outcome.failure() == null
                    && outcome.task().prior() == null
                    && outcome.decoded() != null
                    && !knownContent.contains(outcome.fingerprint())
                    && inBatch.add(outcome.fingerprint()); // a copy in the batch links to it later
            (newImage ? newImages : others).add(outcome);
          }
          if (!newImages.isEmpty() && !insertNewImages(c, newImages, knownContent, counts)) {
            others.addAll(0, newImages);
          }
          for (Outcome outcome : others) {
            execute(c, "SAVEPOINT outcome");
            try {
              apply(c, outcome, vanished, knownContent, counts, listener);
              execute(c, "RELEASE outcome");
            } catch (SQLException | RuntimeException e) {
              execute(c, "ROLLBACK TO outcome");
              execute(c, "RELEASE outcome");
              counts.fail(
                  listener,
                  outcome.task().file().path().toString(),
                  "catalogue error: " + e.getMessage());
            }
          }
          return null;
        });
  }

  /**
   * Inserts new images together (see {@link LibraryRecords#insertNewImages}); false, with nothing
   * kept, if that failed (e.g. another process added the same content meanwhile).
   */
  private static boolean insertNewImages(
      Connection c, List<Outcome> outcomes, Set<String> knownContent, Counts counts)
      throws SQLException {
    List<LibraryRecords.NewImage> images = new ArrayList<>(outcomes.size());
    for (Outcome outcome : outcomes) {
      ScannedFile file = outcome.task().file();
      ImageDecoder.Decoded d = outcome.decoded();
      images.add(
          new LibraryRecords.NewImage(
              file.rootId(),
              file.relPath(),
              file.size(),
              file.mtimeNs(),
              file.sidecarStamp(),
              outcome.fingerprint(),
              d.format(),
              d.width(),
              d.height(),
              d.thumbnail(),
              d.modelInput()));
    }
    execute(c, "SAVEPOINT new_images");
    try {
      List<LibraryRecords.NewImageIds> ids = LibraryRecords.insertNewImages(c, images);
      for (int i = 0; i < outcomes.size(); i++) {
        addCaptionsAndLabels(c, ids.get(i).itemId(), ids.get(i).fileId(), outcomes.get(i));
      }
      execute(c, "RELEASE new_images");
    } catch (SQLException | RuntimeException e) {
      execute(c, "ROLLBACK TO new_images");
      execute(c, "RELEASE new_images");
      return false;
    }
    counts.added += outcomes.size();
    for (Outcome outcome : outcomes) {
      knownContent.add(outcome.fingerprint());
    }
    return true;
  }

  /** The captions and labels a file gave, added to its new item. */
  private static void addCaptionsAndLabels(Connection c, long itemId, long fileId, Outcome outcome)
      throws SQLException {
    for (Extracted.Caption cap : outcome.extracted().captions()) {
      LibraryRecords.addCaption(
          c, itemId, fileId, new NewCaption(cap.source(), cap.field(), cap.text(), cap.note()));
    }
    for (Extracted.Label label : outcome.extracted().labels()) {
      LibraryRecords.addLabel(c, itemId, label.source(), label.name());
    }
  }

  /** Runs one statement; prepared, so the writer connection keeps it compiled between files. */
  private static void execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.execute();
    }
  }

  private void apply(
      Connection c,
      Outcome outcome,
      Map<Long, FileRow> vanished,
      Set<String> knownContent,
      Counts counts,
      IndexListener listener)
      throws SQLException {
    Task task = outcome.task();
    ScannedFile file = task.file();
    FileRow prior = task.prior();
    if (outcome.failure() != null) {
      if (prior == null) {
        LibraryRecords.insertFile(
            c,
            file.rootId(),
            file.relPath(),
            file.size(),
            file.mtimeNs(),
            outcome.fingerprint(),
            null,
            outcome.failure(),
            file.sidecarStamp());
      } else {
        // Keep the link to the last good content: its captions and codes stay usable.
        LibraryRecords.updateFile(
            c,
            prior.id(),
            file.rootId(),
            file.relPath(),
            file.size(),
            file.mtimeNs(),
            outcome.fingerprint(),
            prior.itemId(),
            outcome.failure(),
            file.sidecarStamp());
      }
      counts.fail(listener, file.path().toString(), outcome.failure());
      return;
    }
    String fingerprint = outcome.fingerprint();
    Long existing = LibraryRecords.imageByFingerprint(c, fingerprint);
    long itemId;
    long fileId;
    boolean fresh = false; // a new item and a new file row: nothing stale to replace
    if (prior != null && prior.itemId() != null && fingerprint.equals(prior.fingerprint())) {
      // Same content (touched, or only its sidecars changed).
      itemId = prior.itemId();
      fileId = prior.id();
      LibraryRecords.updateFile(
          c,
          fileId,
          file.rootId(),
          file.relPath(),
          file.size(),
          file.mtimeNs(),
          fingerprint,
          itemId,
          null,
          file.sidecarStamp());
      if (task.kind() == Kind.SIDECARS) {
        counts.updated++;
      } else {
        counts.unchanged++;
      }
    } else if (prior != null) {
      // The content at this path changed.
      if (existing != null) {
        itemId = existing;
      } else if (outcome.decoded() == null) {
        throw new SQLException("content changed during indexing; run again");
      } else if (prior.itemId() != null && soleFile(c, prior.itemId(), prior.id())) {
        itemId = prior.itemId(); // edited in place: keep the item, its CSV captions and labels
        putImage(c, itemId, fingerprint, file.size(), outcome.decoded(), true);
      } else {
        itemId = LibraryRecords.insertItem(c, "image");
        putImage(c, itemId, fingerprint, file.size(), outcome.decoded(), false);
      }
      fileId = prior.id();
      LibraryRecords.updateFile(
          c,
          fileId,
          file.rootId(),
          file.relPath(),
          file.size(),
          file.mtimeNs(),
          fingerprint,
          itemId,
          null,
          file.sidecarStamp());
      counts.updated++;
    } else if (existing != null) {
      itemId = existing;
      FileRow from = movedFrom(c, existing, vanished);
      if (from != null) {
        fileId = from.id();
        vanished.remove(from.id());
        LibraryRecords.updateFile(
            c,
            fileId,
            file.rootId(),
            file.relPath(),
            file.size(),
            file.mtimeNs(),
            fingerprint,
            itemId,
            null,
            file.sidecarStamp());
        counts.moved++;
      } else {
        fileId =
            LibraryRecords.insertFile(
                c,
                file.rootId(),
                file.relPath(),
                file.size(),
                file.mtimeNs(),
                fingerprint,
                itemId,
                null,
                file.sidecarStamp());
        counts.added++;
      }
    } else {
      if (outcome.decoded() == null) {
        throw new SQLException("content vanished from the catalogue during indexing; run again");
      }
      itemId = LibraryRecords.insertItem(c, "image");
      putImage(c, itemId, fingerprint, file.size(), outcome.decoded(), false);
      fresh = true;
      fileId =
          LibraryRecords.insertFile(
              c,
              file.rootId(),
              file.relPath(),
              file.size(),
              file.mtimeNs(),
              fingerprint,
              itemId,
              null,
              file.sidecarStamp());
      counts.added++;
    }
    knownContent.add(fingerprint);
    if (fresh) {
      addCaptionsAndLabels(c, itemId, fileId, outcome);
      return;
    }
    Extracted extracted = outcome.extracted();
    List<NewCaption> captions = new ArrayList<>();
    for (Extracted.Caption cap : extracted.captions()) {
      captions.add(new NewCaption(cap.source(), cap.field(), cap.text(), cap.note()));
    }
    List<String[]> labels = new ArrayList<>();
    for (Extracted.Label label : extracted.labels()) {
      labels.add(new String[] {label.source(), label.name()});
    }
    LibraryRecords.replaceFileCaptions(c, itemId, fileId, captions);
    Set<String> sources = new HashSet<>(List.of("xmp", "iptc"));
    if (options.labelsFromFolders()) {
      sources.add("folder");
    }
    LibraryRecords.replaceLabels(c, itemId, sources, labels);
  }

  private static void putImage(
      Connection c,
      long itemId,
      String fingerprint,
      long size,
      ImageDecoder.Decoded d,
      boolean replaces)
      throws SQLException {
    LibraryRecords.putImage(
        c,
        itemId,
        fingerprint,
        size,
        d.format(),
        d.width(),
        d.height(),
        d.thumbnail(),
        d.modelInput(),
        replaces);
  }

  /** Whether {@code fileId} is the only file of {@code itemId}. */
  private static boolean soleFile(Connection c, long itemId, long fileId) throws SQLException {
    for (FileRow row : LibraryRecords.filesOfItem(c, itemId)) {
      if (row.id() != fileId) {
        return false;
      }
    }
    return true;
  }

  /**
   * A file of {@code itemId} that vanished in this scan or was missing before: the move's origin.
   */
  private static FileRow movedFrom(Connection c, long itemId, Map<Long, FileRow> vanished)
      throws SQLException {
    FileRow missing = null;
    for (FileRow row : LibraryRecords.filesOfItem(c, itemId)) {
      if (vanished.containsKey(row.id())) {
        return row;
      }
      if (missing == null && "missing".equals(row.presence())) {
        missing = row;
      }
    }
    return missing;
  }
}

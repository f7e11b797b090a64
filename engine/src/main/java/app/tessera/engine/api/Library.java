package app.tessera.engine.api;

import app.tessera.engine.Cancellation;
import app.tessera.engine.CaptionImportReport;
import app.tessera.engine.CodeImportReport;
import app.tessera.engine.CodedArchive;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import app.tessera.engine.PruneReport;
import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import app.tessera.engine.hashing.HashingMethod;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.hashing.TrainingOptions;
import app.tessera.engine.ingest.ArchiveImporter;
import app.tessera.engine.ingest.CaptionImporter;
import app.tessera.engine.ingest.ImageDecoder;
import app.tessera.engine.ingest.Indexer;
import app.tessera.engine.ingest.IngestOptions;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.ItemStore;
import app.tessera.engine.store.JobLock;
import app.tessera.engine.store.ModelStore;
import app.tessera.engine.store.Root;
import app.tessera.engine.store.RootRepository;
import app.tessera.engine.store.StoredImage;
import app.tessera.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Tessera library: the one entry point front ends (the command line, the window, the Spark
 * import) use to work on a catalogue. It indexes folders, imports captions, prunes, registers model
 * bundles and chooses the active one, codes what a model has not coded yet, opens searches over the
 * stored codes and trains models on the library's own captioned images.
 *
 * <p>Open it read-write ({@link #open}) or read-only ({@link #openReadOnly}: nothing is written, so
 * a search leaves the file as it was). The {@link Search}es it opens stay live: coding adds each
 * batch of codes to them, and indexing, importing and pruning bring their items up to date.
 *
 * <p>Thread-safe; long jobs run on the caller's thread, report progress to a listener and stop
 * early when their {@link Cancellation} is cancelled.
 */
public final class Library implements AutoCloseable {
  private final Catalog catalog;
  private final List<Search> searches = new CopyOnWriteArrayList<>();

  private Library(Catalog catalog) {
    this.catalog = catalog;
  }

  /** Opens (creating if needed) the library in {@code file}, upgrading an older schema. */
  public static Library open(Path file) {
    return new Library(Catalog.open(file));
  }

  /**
   * Opens an existing library for reading only: folders, models and searches work, nothing is ever
   * written (a read-only copy, an archive on a locked share).
   */
  public static Library openReadOnly(Path file) {
    return new Library(Catalog.openReadOnly(file));
  }

  /**
   * Checks every page of the library in {@code file} (SQLite's {@code integrity_check}), its
   * foreign keys and its schema, reading only: a damaged library can be checked, and nothing is
   * written to it.
   *
   * @throws TesseraException when there is no such file or it is not a library
   */
  public static LibraryCheck check(Path file) {
    long start = System.nanoTime();
    List<String> found = Catalog.check(file);
    List<String> problems = found.equals(List.of("ok")) ? List.of() : found;
    return new LibraryCheck(
        file.toAbsolutePath().normalize(),
        problems,
        Catalog.backups(file),
        (System.nanoTime() - start) / 1e9);
  }

  public Path file() {
    return catalog.file();
  }

  public boolean readOnly() {
    return catalog.readOnly();
  }

  /** The library's folders, in the order they were added, with their file counts. */
  public List<Folder> folders() {
    return catalog.read(
        tx -> {
          Map<Long, RootRepository.FileCounts> counts = tx.roots().fileCounts();
          RootRepository.FileCounts none = new RootRepository.FileCounts(0, 0, 0);
          return tx.roots().list().stream()
              .map(
                  r -> {
                    RootRepository.FileCounts n = counts.getOrDefault(r.id(), none);
                    return new Folder(
                        r.path(), r.state(), n.held(), n.failed(), n.missing(), r.lastScan());
                  })
              .toList();
        });
  }

  /**
   * The files that could not be indexed, with why, as the catalogue records them: they stay listed
   * across restarts and re-scans until the file is readable again, is removed or is pruned.
   */
  public List<IndexReport.Failure> failures() {
    return catalog.read(tx -> tx.files().failures());
  }

  /**
   * Removes {@code folder} (one of {@link #folders}) from the library: its files and the items no
   * other folder holds are forgotten, with their captions, labels, features and codes. The folder
   * and its files on disk are never touched.
   *
   * @throws IllegalArgumentException when {@code folder} is not a folder of this library
   */
  public PruneReport removeFolder(Path folder) {
    Path abs = folder.toAbsolutePath().normalize();
    PruneReport report =
        catalog.write(
            tx -> {
              Root root =
                  tx.roots().list().stream()
                      .filter(r -> r.path().equals(abs))
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new IllegalArgumentException(
                                  abs + " is not a folder of this library"));
              return tx.removeRoot(root.id());
            });
    refreshSearches();
    return report;
  }

  /**
   * Indexes {@code folders} (new ones become folders of the library; a folder inside one re-scans
   * that part); with none, re-scans every folder. New and changed files are decoded once, moved
   * ones recognised; what vanished is marked missing, absent drives offline. Image files are only
   * read. Codes are not made here: see {@link #code}.
   */
  public IndexReport index(
      List<Path> folders, IndexSettings settings, IndexListener listener, Cancellation cancel)
      throws IOException {
    requireFolders(folders);
    try (JobLock lock = catalog.lockForJob("indexing")) {
      Indexer indexer = new Indexer(catalog, ingestOptions(settings), cancel);
      IndexReport report = indexer.index(folders, listener);
      refreshSearches();
      return report;
    }
  }

  /**
   * Each folder to index exists, or is a folder of the library (or inside one) that went away: an
   * unplugged drive goes offline, a deleted folder's files missing.
   *
   * @throws TesseraException before anything is done when one is a file or does not exist
   */
  private void requireFolders(List<Path> folders) {
    requireFolders(folders, folders().stream().map(Folder::path).toList());
  }

  /**
   * Each folder exists, or is one of {@code roots} (or inside one): what {@link #index} checks
   * before doing anything, and what a front end can check before creating a library.
   *
   * @throws TesseraException when one is a file or does not exist
   */
  public static void requireFolders(List<Path> folders, List<Path> roots) {
    for (Path folder : folders) {
      Path abs = folder.toAbsolutePath().normalize();
      if (Files.isDirectory(abs)) {
        continue;
      }
      if (Files.exists(abs)) {
        throw new TesseraException(
            Kind.BAD_INPUT, abs, abs + " is a file, not a folder: index the folder that holds it");
      }
      if (roots.stream().noneMatch(abs::startsWith)) {
        throw new TesseraException(
            Kind.NOT_FOUND, abs, "no such folder: " + abs + " (nothing was indexed)");
      }
    }
  }

  /**
   * Imports captions, labels and attributes from a CSV file ({@code image,caption,labels,...},
   * paths relative to it); with {@code indexMissing}, images not in the library are indexed first
   * (the CSV's folder).
   */
  public CaptionImportReport importCaptions(Path csv, boolean indexMissing, IndexListener listener)
      throws IOException {
    try (JobLock lock = catalog.lockForJob("importing captions")) {
      CaptionImportReport report =
          new CaptionImporter(catalog, IngestOptions.defaults())
              .importCsv(csv, indexMissing, listener);
      refreshSearches();
      return report;
    }
  }

  /**
   * Imports an archive coded elsewhere (the Spark job's output, docs/scale-out.md) as indexing and
   * coding its files here would have: the same file rows, images, thumbnails, model inputs,
   * captions, labels and codes; known content at a new path is a copy or (of a missing file) a
   * move; what is unchanged is skipped, so running it again changes nothing and a killed run
   * resumes. Its models are registered by name; a registered model of the same name must be the
   * same model (method, bits, encoders). Nothing is marked missing and no file is read.
   *
   * @param batch entries per transaction: a killed import loses at most one batch (512 suits most
   *     archives: a commit writes each page it touched once, shared by the batch's rows)
   * @throws IllegalArgumentException when the archive does not fit this library: other thumbnail or
   *     model-input sizes, a model that clashes with a registered one, an entry without a code of
   *     every model (what was imported by then is kept)
   */
  public CodeImportReport importCodes(
      CodedArchive archive,
      Iterator<CodedArchive.Entry> entries,
      int batch,
      IndexListener listener,
      Cancellation cancel) {
    ImageDecoder.Sizes sizes = ImageDecoder.Sizes.DEFAULT;
    if (archive.thumbnailSize() != sizes.thumbnail()
        || archive.modelInputSize() != sizes.modelInput()) {
      throw new IllegalArgumentException(
          "the archive's thumbnails and model inputs are "
              + archive.thumbnailSize()
              + " and "
              + archive.modelInputSize()
              + " px, this library's "
              + sizes.thumbnail()
              + " and "
              + sizes.modelInput()
              + " px");
    }
    try (JobLock lock = catalog.lockForJob("importing codes")) {
      List<ArchiveImporter.Model> models = new ArrayList<>();
      for (CodedArchive.Model model : archive.models()) {
        models.add(new ArchiveImporter.Model(register(model), model.name(), model.bits()));
      }
      CodeImportReport report =
          new ArchiveImporter(catalog, archive.labelsFromFolders(), models, batch, cancel)
              .run(entries, listener);
      refreshSearches();
      return report;
    }
  }

  /** The id of {@code model}, registered now if new; refuses a different model of that name. */
  private long register(CodedArchive.Model model) {
    ModelStore store = new ModelStore(catalog);
    Optional<ModelStore.Model> known = store.byName(model.name());
    if (known.isPresent()) {
      ModelStore.Model m = known.get();
      if (!m.method().equals(model.method())
          || m.bits() != model.bits()
          || !m.imageEncoder().equals(model.imageEncoder())
          || !m.textEncoder().equals(model.textEncoder())) {
        throw new IllegalArgumentException(
            "this library has another model named "
                + model.name()
                + " ("
                + m.method()
                + ", "
                + m.bits()
                + " bits, "
                + m.imageEncoder()
                + ", "
                + m.textEncoder()
                + "); the archive's is "
                + model.method()
                + ", "
                + model.bits()
                + " bits, "
                + model.imageEncoder()
                + ", "
                + model.textEncoder());
      }
      return m.id();
    }
    return store.add(
        new ModelStore.Model(
            0,
            model.name(),
            model.method(),
            model.bits(),
            model.imageEncoder(),
            model.textEncoder(),
            model.description(),
            null,
            0,
            model.bundleDir() == null ? null : model.bundleDir().toAbsolutePath().toString(),
            null));
  }

  /**
   * Forgets the files marked missing and the items no file holds any more (with their captions,
   * labels, features and codes). Files of offline folders are kept.
   */
  public PruneReport prune() {
    try (JobLock lock = catalog.lockForJob("pruning")) {
      PruneReport report = catalog.write(tx -> tx.prune());
      refreshSearches();
      return report;
    }
  }

  /** Whether the library holds no folder yet (a fresh one). */
  public boolean isEmpty() {
    return catalog.read(tx -> tx.roots().list().isEmpty());
  }

  /** The registered models, newest first. */
  public List<ModelInfo> models() {
    ModelStore store = new ModelStore(catalog);
    long active = store.active().orElse(-1L);
    return store.list().stream().map(m -> info(m, active)).toList();
  }

  /** The model searches use by default, if one was chosen ({@link #activate}). */
  public Optional<ModelInfo> activeModel() {
    return models().stream().filter(ModelInfo::active).findFirst();
  }

  /**
   * The bundle folder searches and coding use by default: the active model's, else the shipped
   * default model (unpacked on first use).
   */
  public Path defaultBundleDir() throws IOException {
    Optional<Path> active = activeModel().map(ModelInfo::bundleDir);
    return active.isPresent() ? active.get() : ShippedModels.defaultBundle();
  }

  /** Registers {@code bundle} (once: models are known by their bundle's name). */
  public ModelInfo register(ModelBundle bundle) {
    ModelStore store = new ModelStore(catalog);
    long id = registeredId(bundle);
    if (id < 0) {
      ModelBundle.Manifest m = bundle.manifest();
      id =
          store.add(
              new ModelStore.Model(
                  0,
                  m.name(),
                  m.method(),
                  m.bits(),
                  bundle.imageEncoder().id(),
                  bundle.textEncoder().id(),
                  m.description(),
                  null,
                  0,
                  bundle.dir().toAbsolutePath().toString(),
                  null));
    }
    long found = id;
    return models().stream().filter(m -> m.id() == found).findFirst().orElseThrow();
  }

  /** Makes {@code model} the one searches and coding use by default. */
  public void activate(ModelInfo model) {
    new ModelStore(catalog).setActive(model.id());
  }

  /**
   * Codes every item {@code bundle}'s model has no code for yet (registering the model first), and
   * nothing else: after indexing, only what is new. Each batch is committed and added to this
   * library's live searches of that model at once, so a cancelled or killed job resumes where it
   * stopped, and searches with other models keep working meanwhile.
   */
  public CodingReport code(ModelBundle bundle, Cancellation cancel, Consumer<String> progress) {
    return code(bundle, cancel, CodingListener.lines(progress));
  }

  /**
   * As {@link #code(ModelBundle, Cancellation, Consumer)}, with progress as counts (for a progress
   * bar); the job waits between batches while {@code cancel} is paused.
   */
  public CodingReport code(ModelBundle bundle, Cancellation cancel, CodingListener progress) {
    try (JobLock lock = catalog.lockForJob("coding")) {
      long modelId = register(bundle).id();
      return new Coder(catalog, bundle, modelId)
          .run(
              cancel,
              progress,
              batch -> {
                for (Search search : searches) {
                  if (search.uses(bundle)) {
                    search.coded(modelId, batch);
                  }
                }
              });
    }
  }

  /**
   * A search with {@code bundle} over the codes stored for its model; never writes. Items the model
   * has not coded yet are left out and counted ({@link Search#uncodedImages()}). It stays live
   * while this library is open.
   */
  public Search search(ModelBundle bundle) {
    Search search = Search.open(catalog, bundle, registeredId(bundle));
    searches.add(search);
    return search;
  }

  /** Stops keeping {@code search} up to date (e.g. after switching models). */
  public void release(Search search) {
    searches.remove(search);
  }

  /** The thumbnails (encoded JPEG or PNG) of a page of image results, in one query. */
  public Map<Long, byte[]> thumbnails(long[] itemIds) {
    Map<Long, byte[]> out = new HashMap<>();
    for (Map.Entry<Long, StoredImage> e : new ItemStore(catalog).thumbnails(itemIds).entrySet()) {
      out.put(e.getKey(), e.getValue().bytes());
    }
    return out;
  }

  /**
   * Everything the library knows of image item {@code itemId} (a search hit's {@code itemId}): its
   * files, size, date, captions with their sources, labels and attributes; empty if it is not an
   * image of this library (e.g. pruned since the search).
   */
  public Optional<ItemDetails> details(long itemId) {
    return new ItemStore(catalog)
        .details(itemId)
        .map(
            d -> {
              List<ItemDetails.FileCopy> files =
                  d.files().stream()
                      .map(
                          f ->
                              new ItemDetails.FileCopy(
                                  f.path(), f.byteSize(), f.modified(), f.presence()))
                      .toList();
              ItemDetails.FileCopy shown = files.isEmpty() ? null : files.getFirst();
              return new ItemDetails(
                  d.id(),
                  shown == null ? null : shown.path(),
                  shown != null && shown.presence().equals("present"),
                  d.format(),
                  d.width(),
                  d.height(),
                  d.byteSize(),
                  files.stream()
                      .map(ItemDetails.FileCopy::modified)
                      .max(Comparator.naturalOrder())
                      .orElse(null),
                  files,
                  d.captions().stream()
                      .map(c -> new ItemDetails.Caption(c.id(), c.text(), c.source(), c.field()))
                      .toList(),
                  d.labels().stream()
                      .map(l -> new ItemDetails.Label(l.name(), l.source()))
                      .toList(),
                  d.attributes());
            });
  }

  /** Every label in use, with how many images carry it, by name (e.g. for a label filter). */
  public Map<String, Integer> labels() {
    return new ItemStore(catalog).labelCounts();
  }

  /**
   * Codes every item {@code model} has no code for yet, then makes it the active model: searches
   * and coding use it by default from then on. Until every item has its code (a cancelled or killed
   * run resumes where it stopped; a paused one waits between batches) the active model stays as it
   * was, so searches keep working on its complete codes meanwhile.
   *
   * @return what coding did; the model is active when nothing {@linkplain CodingReport#remaining()
   *     remains}
   * @throws IllegalArgumentException when no registered model is called {@code name}
   */
  public CodingReport use(
      String name, Device device, Cancellation cancel, Consumer<String> progress)
      throws IOException {
    return use(name, device, cancel, CodingListener.lines(progress));
  }

  /** As {@link #use(String, Device, Cancellation, Consumer)}, with progress as counts. */
  public CodingReport use(String name, Device device, Cancellation cancel, CodingListener progress)
      throws IOException {
    ModelInfo model =
        models().stream()
            .filter(m -> m.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "No model called '"
                            + name
                            + "' in this library; registered: "
                            + String.join(", ", models().stream().map(ModelInfo::name).toList())));
    if (model.bundleDir() == null) {
      throw new IllegalArgumentException("Model '" + name + "' has no bundle to code with");
    }
    try (ModelBundle bundle = ModelBundle.open(model.bundleDir(), device)) {
      return codeAndActivate(bundle, cancel, progress);
    }
  }

  /** Codes what {@code bundle} is missing and activates it once nothing is left. */
  private CodingReport codeAndActivate(
      ModelBundle bundle, Cancellation cancel, CodingListener progress) {
    CodingReport coding = code(bundle, cancel, progress);
    if (coding.remaining() == 0 && !cancel.isCancelled()) {
      activate(register(bundle));
    }
    return coding;
  }

  /**
   * Trains a hashing model on the library's own items with the encoders of {@code base} (see {@link
   * #train(EncoderPair, TrainRequest, String, Path, Cancellation, TrainingProgress)}).
   */
  public TrainingReport train(
      ModelBundle base,
      TrainRequest request,
      String name,
      Path bundleDir,
      Cancellation cancel,
      Consumer<String> progress)
      throws IOException {
    return train(
        base.encoders(), request, name, bundleDir, cancel, TrainingProgress.lines(progress));
  }

  /**
   * As {@link #train(EncoderPair, TrainRequest, String, Path, Cancellation, TrainingProgress)},
   * with progress as lines (what the command line prints).
   */
  public TrainingReport train(
      EncoderPair encoders,
      TrainRequest request,
      String name,
      Path bundleDir,
      Cancellation cancel,
      Consumer<String> progress)
      throws IOException {
    return train(encoders, request, name, bundleDir, cancel, TrainingProgress.lines(progress));
  }

  /**
   * Trains a hashing model on the library's own items with {@code encoders} (their features are
   * cached first, and their token features when the method reads them) and writes it as a bundle
   * into {@code bundleDir}, registered in the library. The library's evaluation queries are left
   * out ({@link LibrarySplit}). A label-free method (ITQ) fits on every other image and caption, no
   * labels and no pairs needed. The others train on the captioned images, a seeded tenth of them
   * held out for validation; a model whose validation mAP does not beat chance is reported as such,
   * and neither coded nor activated. Otherwise every item is coded with it and it becomes the
   * active model (as {@link #use}).
   *
   * <p>{@code progress} gets typed events (the loss and validation mAP of every epoch, for a
   * chart). Cancelling stops at the end of the current epoch (or encoding batch) with a {@link
   * CancellationException}; nothing is written then. When the new model's coding is cancelled, the
   * model is kept and registered but not made active ({@link TrainingReport#coding} says what is
   * left; a later {@link #use} resumes it).
   */
  public TrainingReport train(
      EncoderPair encoders,
      TrainRequest request,
      String name,
      Path bundleDir,
      Cancellation cancel,
      TrainingProgress progress)
      throws IOException {
    HashingMethod method = HashingMethods.byName(request.method());
    TrainingOptions options = trainingOptions(request);
    try (JobLock lock = catalog.lockForJob("training")) {
      Coder.cache(catalog, Coder.Feature.pooled(encoders), cancel, progress::message);
      if (method.needsTokens()) {
        Coder.cache(catalog, Coder.Feature.tokens(encoders), cancel, progress::message);
      }
      stopIfCancelled(cancel, "while encoding the library");
      TrainingListener epochs =
          (epoch, total, loss, score) -> {
            progress.epoch(epoch, total, loss, score);
            cancel.awaitResumed();
            stopIfCancelled(cancel, "after epoch " + epoch);
          };
      LibraryTraining.Result trained =
          LibraryTraining.train(
              catalog, encoders, method, options, name, bundleDir, epochs, progress::message);
      try (ModelBundle bundle = ModelBundle.withEncoders(bundleDir, encoders)) {
        ModelInfo model = register(bundle);
        boolean judged = !Double.isNaN(trained.chance());
        CodingReport coding = null;
        if (!judged || trained.validation() > trained.chance()) {
          coding = codeAndActivate(bundle, cancel, codingTo(progress));
        }
        return new TrainingReport(
            bundleDir,
            register(bundle),
            trained.pairs(),
            trained.labels(),
            trained.rows(),
            trained.validation(),
            trained.chance(),
            coding,
            activeModel().map(m -> m.id() == model.id()).orElse(false));
      }
    }
  }

  private static CodingListener codingTo(TrainingProgress progress) {
    return new CodingListener() {
      @Override
      public void message(String line) {
        progress.message(line);
      }

      @Override
      public void progress(int done, int total) {
        progress.coding(done, total);
      }
    };
  }

  private static void stopIfCancelled(Cancellation cancel, String when) {
    if (cancel.isCancelled()) {
      throw new CancellationException("training cancelled " + when);
    }
  }

  /**
   * Evaluates {@code model} on the library's labelled items with its stored codes: mAP, P@K and
   * precision–recall by Hamming radius, both directions (see {@link LibraryEvaluation}). Reads
   * only.
   *
   * @throws IllegalStateException when the library has no labels or no labelled query coded by it
   */
  public LibraryEvaluation evaluate(ModelInfo model) {
    ModelStore.Model stored =
        new ModelStore(catalog)
            .get(model.id())
            .orElseThrow(() -> new IllegalArgumentException("no model " + model.name()));
    return LibraryEvaluator.evaluate(catalog, stored);
  }

  static TrainingOptions trainingOptions(TrainRequest request) {
    return new TrainingOptions(
        request.bits(), request.epochs(), request.seed(), request.device(), null, request.params());
  }

  @Override
  public void close() {
    searches.clear();
    catalog.close();
  }

  private long registeredId(ModelBundle bundle) {
    return new ModelStore(catalog)
        .byName(bundle.manifest().name())
        .map(ModelStore.Model::id)
        .orElse(-1L);
  }

  private void refreshSearches() {
    for (Search search : searches) {
      search.refresh();
    }
  }

  private static ModelInfo info(ModelStore.Model m, long active) {
    return new ModelInfo(
        m.id(),
        m.name(),
        m.method(),
        m.bits(),
        m.imageEncoder(),
        m.textEncoder(),
        m.data(),
        m.path() == null ? null : Path.of(m.path()),
        m.id() == active);
  }

  private static IngestOptions ingestOptions(IndexSettings settings) {
    return IngestOptions.defaults()
        .withThreads(settings.threads())
        .withLabelsFromFolders(settings.labelsFromFolders());
  }
}

package app.tessera.engine.ingest;

import app.tessera.engine.Cancellation;
import app.tessera.engine.CodeImportReport;
import app.tessera.engine.CodedArchive;
import app.tessera.engine.IndexListener;
import app.tessera.engine.code.BinaryCodes;
import app.tessera.engine.ingest.FileScanner.ScannedFile;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.FileRow;
import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewLabel;
import app.tessera.engine.store.Presence;
import app.tessera.engine.store.Root;
import app.tessera.engine.store.StoredImage;
import app.tessera.engine.store.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Imports an archive coded elsewhere ({@link CodedArchive}: the Spark job's output) into a
 * catalogue exactly as indexing and coding the same files here would have: each entry is compared
 * with its catalogue row as a scan compares a file (unchanged, new, changed, only its sidecars
 * changed) and applied by the same {@link CatalogWriter} (new content, a copy or a move of known
 * content, an edit in place, a failure), with the entry's decoded image standing in for decoding. A
 * manifest's captions, labels and attributes are added as {@code import-captions} adds them.
 *
 * <p>Each batch commits in one transaction with the codes (and features) of its images and
 * captions, so a killed import loses at most one batch and the next run, skipping what it finds
 * unchanged, resumes. Nothing is marked missing: an import is not a scan. Files are never read.
 */
public final class ArchiveImporter {
  /** A model of the archive as the catalogue registered it. */
  public record Model(long id, String name, int bits) {}

  private final Catalog catalog;
  private final IngestOptions options;
  private final List<Model> models;
  private final int batch;
  private final Cancellation cancel;

  /**
   * @param batch entries per transaction
   */
  public ArchiveImporter(
      Catalog catalog,
      boolean labelsFromFolders,
      List<Model> models,
      int batch,
      Cancellation cancel) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch must be positive");
    }
    this.batch = batch;
    this.catalog = catalog;
    this.options = IngestOptions.defaults().withLabelsFromFolders(labelsFromFolders);
    this.models = List.copyOf(models);
    this.cancel = cancel;
  }

  /** Imports {@code entries}; stops after the current batch when cancelled. */
  public CodeImportReport run(Iterator<CodedArchive.Entry> entries, IndexListener listener) {
    long start = System.nanoTime();
    Tally tally = new Tally(listener);
    listener.phase(IndexListener.Phase.PROCESSING, 0);
    Set<String> knownContent = ConcurrentHashMap.newKeySet();
    knownContent.addAll(catalog.read(tx -> tx.images().fingerprints()));
    CatalogWriter writer =
        new CatalogWriter(catalog, options, new HashMap<>(), knownContent, tally);
    Batches state = new Batches(catalog.read(this::codedItems));
    int done = 0;
    while (entries.hasNext() && !cancel.isCancelled()) {
      List<CodedArchive.Entry> entryBatch = new ArrayList<>(batch);
      while (entryBatch.size() < batch && entries.hasNext()) {
        entryBatch.add(entries.next());
      }
      write(entryBatch, writer, tally, state);
      done += entryBatch.size();
      listener.progress(done, 0);
    }
    listener.phase(IndexListener.Phase.DONE, 0);
    return new CodeImportReport(
        tally.report((System.nanoTime() - start) / 1e9, cancel.isCancelled()),
        state.codes,
        state.features);
  }

  /** What the import keeps across batches: which items have codes, and what it wrote. */
  private static final class Batches {
    final Map<Long, BitSet> coded; // by model id
    final Map<Path, Root> roots = new HashMap<>();
    final Map<Long, Long> attributesRow = new HashMap<>(); // item -> manifest row of its values
    long codes;
    long features;

    Batches(Map<Long, BitSet> coded) {
      this.coded = coded;
    }
  }

  private Map<Long, BitSet> codedItems(Transaction tx) {
    Map<Long, BitSet> out = new HashMap<>();
    for (Model model : models) {
      BitSet ids = new BitSet();
      for (long id : tx.codes().ids(model.id())) {
        ids.set(Math.toIntExact(id));
      }
      out.put(model.id(), ids);
    }
    return out;
  }

  /** One entry as the writer takes it (null when unchanged) and the file it is about. */
  private record Planned(CodedArchive.Entry entry, FileRow prior, Outcome outcome) {}

  private void write(
      List<CodedArchive.Entry> batch, CatalogWriter writer, Tally tally, Batches state) {
    List<Planned> planned = new ArrayList<>(batch.size());
    catalog.write(
        tx -> {
          for (CodedArchive.Entry entry : batch) {
            if (entry.size() < 0) { // named by a manifest, never found: nothing to keep
              tally.fail(entry.root().resolve(entry.relPath()).toString(), entry.failure());
              continue;
            }
            planned.add(plan(tx, entry, state.roots));
          }
          return null;
        });
    List<Outcome> outcomes = new ArrayList<>();
    for (Planned p : planned) {
      if (p.outcome() != null) {
        outcomes.add(p.outcome());
      } else {
        tally.unchanged++;
      }
    }
    int changedBefore = tally.updated + tally.moved;
    writer.write(
        outcomes,
        tx -> {
          if (tally.updated + tally.moved > changedBefore) {
            // Content replaced or captions deleted: their codes went with them, and a deleted
            // item's id may be taken again. Read what is coded now.
            state.coded.clear();
            state.coded.putAll(codedItems(tx));
          }
          ItemCodes codes = new ItemCodes();
          for (Planned p : planned) {
            if (p.outcome() == null && p.prior().presence() != Presence.PRESENT) {
              tx.files().setPresence(p.prior().id(), Presence.PRESENT); // seen by the job
            }
            if (p.entry().image() != null) {
              addImage(tx, p.entry(), state, codes);
            }
          }
          codes.write(tx, state);
        });
  }

  /** Compares an entry with its catalogue row, as {@link ScanPlanner} compares a scanned file. */
  private Planned plan(Transaction tx, CodedArchive.Entry entry, Map<Path, Root> roots) {
    Path path = entry.root().resolve(entry.relPath()).toAbsolutePath().normalize();
    Root root = roots.computeIfAbsent(entry.root(), r -> owner(tx, r));
    ScannedFile file =
        new ScannedFile(
            root.id(),
            FileScanner.relative(root.path(), path),
            path,
            entry.size(),
            entry.mtimeNs(),
            List.of(),
            entry.sidecarStamp(),
            null);
    FileRow prior = tx.files().byPath(root.id(), file.relPath());
    Task.Kind kind;
    if (prior == null) {
      kind = Task.Kind.NEW;
    } else if (prior.size() != file.size() || prior.mtimeNs() != file.mtimeNs()) {
      kind = Task.Kind.CHANGED;
    } else if (prior.itemId() != null && prior.sidecarStamp() != file.sidecarStamp()) {
      kind = Task.Kind.SIDECARS;
    } else {
      return new Planned(entry, prior, null);
    }
    Task task = new Task(file, prior, kind);
    CodedArchive.Image image = entry.image();
    if (image == null) {
      return new Planned(entry, prior, Outcome.failed(task, entry.failure()));
    }
    List<NewCaption> captions = new ArrayList<>();
    for (CodedArchive.Caption c : image.captions()) {
      if (!c.source().equals("csv")) {
        captions.add(new NewCaption(c.source(), c.field(), c.text(), c.note()));
      }
    }
    List<NewLabel> labels = new ArrayList<>();
    for (CodedArchive.Label l : image.labels()) {
      if (!l.source().equals("csv")) {
        labels.add(new NewLabel(l.source(), l.name()));
      }
    }
    StoredImage thumbnail = stored(image.thumbnail());
    StoredImage modelInput = image.modelInput() == null ? thumbnail : stored(image.modelInput());
    ImageDecoder.Decoded decoded =
        new ImageDecoder.Decoded(
            image.format(), image.width(), image.height(), thumbnail, modelInput);
    Outcome outcome =
        new Outcome(task, entry.fingerprint(), decoded, new Extracted(captions, labels), null);
    return new Planned(entry, prior, outcome);
  }

  /**
   * The registered root that holds {@code folder} (the innermost), else {@code folder} registered
   * as a new root: as indexing it would.
   */
  private static Root owner(Transaction tx, Path folder) {
    Path abs = folder.toAbsolutePath().normalize();
    Root owner = null;
    for (Root r : tx.roots().list()) {
      if (abs.startsWith(r.path())
          && (owner == null || r.path().getNameCount() > owner.path().getNameCount())) {
        owner = r;
      }
    }
    return owner != null ? owner : tx.roots().add(abs);
  }

  private static StoredImage stored(CodedArchive.Picture p) {
    return new StoredImage(p.width(), p.height(), p.format(), p.bytes());
  }

  /**
   * After the writer: a manifest's captions, labels and attributes, then the codes and features of
   * the entry's image and captions that the catalogue does not have yet.
   */
  private void addImage(Transaction tx, CodedArchive.Entry entry, Batches state, ItemCodes codes) {
    CodedArchive.Image image = entry.image();
    Long item = tx.images().byFingerprint(entry.fingerprint());
    if (item == null) {
      return; // the writer could not apply it (reported as a failure)
    }
    for (CodedArchive.Caption c : image.captions()) {
      if (c.source().equals("csv")) {
        tx.captions().add(item, null, new NewCaption("csv", null, c.text(), c.note()));
      }
    }
    for (CodedArchive.Label l : image.labels()) {
      if (l.source().equals("csv")) {
        tx.labels().add(item, new NewLabel("csv", l.name()));
      }
    }
    if (image.attributes() != null && !image.attributes().isEmpty()) {
      // Of several files with this content, the one first in the manifest gives the values.
      Long before = state.attributesRow.get(item);
      if (before == null || image.manifestRow() < before) {
        state.attributesRow.put(item, image.manifestRow());
        image.attributes().forEach((key, value) -> tx.labels().setAttribute(item, key, value));
      }
    }
    Path path = entry.root().resolve(entry.relPath());
    codes.add(item, image.codes(), image.features(), state, path);
    for (CodedArchive.Caption c : image.captions()) {
      Long caption = tx.captions().itemId(item, c.source(), c.text());
      if (caption != null) {
        codes.add(caption, c.codes(), c.features(), state, path);
      }
    }
  }

  /** The codes and features of one batch, gathered per model and encoder, written at once. */
  private final class ItemCodes {
    private final Map<Long, List<long[]>> codes = new HashMap<>(); // by model id: {id, words...}
    private final Map<String, Map<Long, float[]>> features = new LinkedHashMap<>();

    void add(
        long item,
        Map<String, long[]> byModel,
        Map<String, float[]> byEncoder,
        Batches state,
        Path file) {
      for (Model model : models) {
        long[] code = byModel == null ? null : byModel.get(model.name());
        if (code == null || code.length != BinaryCodes.wordsPerCode(model.bits())) {
          throw new IllegalArgumentException(
              file + ": no " + model.bits() + "-bit code of model " + model.name());
        }
        BitSet coded = state.coded.get(model.id());
        if (coded.get(Math.toIntExact(item))) {
          continue;
        }
        coded.set(Math.toIntExact(item));
        long[] row = new long[1 + code.length];
        row[0] = item;
        System.arraycopy(code, 0, row, 1, code.length);
        codes.computeIfAbsent(model.id(), m -> new ArrayList<>()).add(row);
      }
      if (byEncoder != null) {
        byEncoder.forEach(
            (encoder, vector) ->
                features.computeIfAbsent(encoder, e -> new LinkedHashMap<>()).put(item, vector));
      }
    }

    void write(Transaction tx, Batches state) {
      for (Model model : models) {
        List<long[]> rows = codes.getOrDefault(model.id(), List.of());
        if (rows.isEmpty()) {
          continue;
        }
        int words = BinaryCodes.wordsPerCode(model.bits());
        long[] ids = new long[rows.size()];
        long[] packed = new long[rows.size() * words];
        for (int i = 0; i < rows.size(); i++) {
          ids[i] = rows.get(i)[0];
          System.arraycopy(rows.get(i), 1, packed, i * words, words);
        }
        tx.codes().append(model.id(), ids, packed, model.bits());
        state.codes += ids.length;
      }
      for (Map.Entry<String, Map<Long, float[]>> e : features.entrySet()) {
        long[] ids = e.getValue().keySet().stream().mapToLong(Long::longValue).toArray();
        float[][] vectors = e.getValue().values().toArray(float[][]::new);
        state.features += tx.features().putIfAbsent(e.getKey(), ids, vectors);
      }
    }
  }
}

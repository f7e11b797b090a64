package app.tessera.engine.ingest;

import app.tessera.engine.ingest.FileScanner.ScannedFile;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.FileFacts;
import app.tessera.engine.store.FileRow;
import app.tessera.engine.store.ImageContent;
import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewImage;
import app.tessera.engine.store.NewLabel;
import app.tessera.engine.store.Presence;
import app.tessera.engine.store.Transaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stage 3 of {@link Indexer}, the single writer: applies each batch of outcomes in one transaction.
 * New images (a new path, content never seen) are inserted together; everything else, and those too
 * if that fails, one outcome at a time under its own savepoint, so that one bad outcome costs only
 * itself.
 */
final class CatalogWriter {
  private final Catalog catalog;
  private final IngestOptions options;
  private final Map<Long, FileRow> vanished;
  private final Set<String> knownContent;
  private final Tally tally;

  /**
   * @param vanished files the scan did not find again: a new path holding their content is a move
   *     (and is removed from this map)
   * @param knownContent fingerprints in the catalogue, grown as content is added
   */
  CatalogWriter(
      Catalog catalog,
      IngestOptions options,
      Map<Long, FileRow> vanished,
      Set<String> knownContent,
      Tally tally) {
    this.catalog = catalog;
    this.options = options;
    this.vanished = vanished;
    this.knownContent = knownContent;
    this.tally = tally;
  }

  void write(List<Outcome> batch) {
    write(batch, tx -> {});
  }

  /**
   * Applies {@code batch}, then {@code andThen} in the same transaction (a bulk import writes the
   * batch's codes there, so they commit with their items).
   */
  void write(List<Outcome> batch, Consumer<Transaction> andThen) {
    catalog.write(
        tx -> {
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
          if (!newImages.isEmpty() && !insertNewImages(tx, newImages)) {
            others.addAll(0, newImages);
          }
          for (Outcome outcome : others) {
            try {
              tx.savepoint(
                  () -> {
                    apply(tx, outcome);
                    return null;
                  });
            } catch (RuntimeException e) {
              tally.fail(
                  outcome.task().file().path().toString(), "catalogue error: " + e.getMessage());
            }
          }
          andThen.accept(tx);
          return null;
        });
  }

  /**
   * Inserts new images together; false, with nothing kept, if that failed (e.g. another process
   * added the same content meanwhile).
   */
  private boolean insertNewImages(Transaction tx, List<Outcome> outcomes) {
    List<NewImage> images = new ArrayList<>(outcomes.size());
    for (Outcome outcome : outcomes) {
      images.add(new NewImage(outcome.task().file().facts(), content(outcome)));
    }
    try {
      tx.savepoint(
          () -> {
            List<NewImage.Ids> ids = tx.images().insertNew(images);
            for (int i = 0; i < outcomes.size(); i++) {
              addCaptionsAndLabels(tx, ids.get(i).itemId(), ids.get(i).fileId(), outcomes.get(i));
            }
            return null;
          });
    } catch (RuntimeException e) {
      return false;
    }
    tally.added += outcomes.size();
    for (Outcome outcome : outcomes) {
      knownContent.add(outcome.fingerprint());
    }
    return true;
  }

  private static ImageContent content(Outcome outcome) {
    ImageDecoder.Decoded d = outcome.decoded();
    return new ImageContent(
        outcome.fingerprint(),
        outcome.task().file().size(),
        d.format(),
        d.width(),
        d.height(),
        d.thumbnail(),
        d.modelInput());
  }

  /** The captions and labels a file gave, added to its new item. */
  private static void addCaptionsAndLabels(
      Transaction tx, long itemId, long fileId, Outcome outcome) {
    for (NewCaption caption : outcome.extracted().captions()) {
      tx.captions().add(itemId, fileId, caption);
    }
    for (NewLabel label : outcome.extracted().labels()) {
      tx.labels().add(itemId, label);
    }
  }

  private void apply(Transaction tx, Outcome outcome) {
    Task task = outcome.task();
    ScannedFile file = task.file();
    FileFacts facts = file.facts();
    FileRow prior = task.prior();
    if (outcome.failure() != null) {
      if (prior == null) {
        tx.files().insert(facts, outcome.fingerprint(), null, outcome.failure());
      } else {
        // Keep the link to the last good content: its captions and codes stay usable.
        tx.files()
            .update(prior.id(), facts, outcome.fingerprint(), prior.itemId(), outcome.failure());
      }
      tally.fail(file.path().toString(), outcome.failure());
      return;
    }
    String fingerprint = outcome.fingerprint();
    Long existing = tx.images().byFingerprint(fingerprint);
    long itemId;
    long fileId;
    boolean fresh = false; // a new item and a new file row: nothing stale to replace
    if (prior != null && prior.itemId() != null && fingerprint.equals(prior.fingerprint())) {
      // Same content (touched, or only its sidecars changed).
      itemId = prior.itemId();
      fileId = prior.id();
      tx.files().update(fileId, facts, fingerprint, itemId, null);
      if (task.kind() == Task.Kind.SIDECARS) {
        tally.updated++;
      } else {
        tally.unchanged++;
      }
    } else if (prior != null) {
      // The content at this path changed.
      if (existing != null) {
        itemId = existing;
      } else if (outcome.decoded() == null) {
        throw new IllegalStateException("content changed during indexing; run again");
      } else if (prior.itemId() != null && soleFile(tx, prior.itemId(), prior.id())) {
        itemId = prior.itemId(); // edited in place: keep the item, its CSV captions and labels
        tx.images().put(itemId, content(outcome), true);
      } else {
        itemId = tx.images().add(content(outcome));
      }
      fileId = prior.id();
      tx.files().update(fileId, facts, fingerprint, itemId, null);
      tally.updated++;
    } else if (existing != null) {
      itemId = existing;
      FileRow from = movedFrom(tx, existing);
      if (from != null) {
        fileId = from.id();
        vanished.remove(from.id());
        tx.files().update(fileId, facts, fingerprint, itemId, null);
        tally.moved++;
      } else {
        fileId = tx.files().insert(facts, fingerprint, itemId, null);
        tally.added++;
      }
    } else {
      if (outcome.decoded() == null) {
        throw new IllegalStateException(
            "content vanished from the catalogue during indexing; run again");
      }
      itemId = tx.images().add(content(outcome));
      fresh = true;
      fileId = tx.files().insert(facts, fingerprint, itemId, null);
      tally.added++;
    }
    knownContent.add(fingerprint);
    if (fresh) {
      addCaptionsAndLabels(tx, itemId, fileId, outcome);
      return;
    }
    tx.captions().replaceFromFile(itemId, fileId, outcome.extracted().captions());
    Set<String> sources = new HashSet<>(List.of("xmp", "iptc"));
    if (options.labelsFromFolders()) {
      sources.add("folder");
    }
    tx.labels().replace(itemId, sources, outcome.extracted().labels());
  }

  /** Whether {@code fileId} is the only file of {@code itemId}. */
  private static boolean soleFile(Transaction tx, long itemId, long fileId) {
    return tx.files().ofItem(itemId).stream().allMatch(row -> row.id() == fileId);
  }

  /**
   * A file of {@code itemId} that vanished in this scan or was missing before: the move's origin.
   */
  private FileRow movedFrom(Transaction tx, long itemId) {
    FileRow missing = null;
    for (FileRow row : tx.files().ofItem(itemId)) {
      if (vanished.containsKey(row.id())) {
        return row;
      }
      if (missing == null && row.presence() == Presence.MISSING) {
        missing = row;
      }
    }
    return missing;
  }
}

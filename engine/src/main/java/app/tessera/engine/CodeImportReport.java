package app.tessera.engine;

import java.util.Locale;

/**
 * What importing a coded archive did.
 *
 * @param files what became of its files, counted as an indexing run counts them (nothing is ever
 *     marked missing by an import)
 * @param codes codes written (images and captions, all models)
 * @param features feature vectors written
 */
public record CodeImportReport(IndexReport files, long codes, long features) {
  /** The report in one line, as the command line prints it. */
  public String summary() {
    IndexReport f = files;
    return String.format(
        Locale.ROOT,
        "%s in %.1f s: %d added, %d updated, %d moved, %d unchanged, %d failed; %d codes, %d"
            + " features written",
        f.cancelled() ? "Cancelled" : "Imported",
        f.seconds(),
        f.added(),
        f.updated(),
        f.moved(),
        f.unchanged(),
        f.failed(),
        codes,
        features);
  }
}

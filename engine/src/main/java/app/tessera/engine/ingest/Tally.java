package app.tessera.engine.ingest;

import app.tessera.engine.IndexListener;
import app.tessera.engine.IndexReport;
import java.util.ArrayList;
import java.util.List;

/** The counts of an indexing run as its stages find them, and the failures with their reasons. */
final class Tally {
  int added;
  int updated;
  int moved;
  int unchanged;
  int missing;
  int offline;
  private final List<IndexReport.Failure> failures = new ArrayList<>();
  private final IndexListener listener;

  Tally(IndexListener listener) {
    this.listener = listener;
  }

  void fail(String path, String reason) {
    failures.add(new IndexReport.Failure(path, reason));
    listener.failed(path, reason);
  }

  IndexReport report(double seconds, boolean cancelled) {
    return new IndexReport(
        added,
        updated,
        moved,
        unchanged,
        missing,
        offline,
        failures.size(),
        failures,
        seconds,
        cancelled);
  }
}

package app.tessera.engine.ingest;

import app.tessera.engine.ingest.FileScanner.ScannedFile;
import app.tessera.engine.store.FileRow;

/**
 * A file the plan found to read, with its catalogue row ({@code prior}, null for a new path) and
 * why it is read.
 */
record Task(ScannedFile file, FileRow prior, Kind kind) {
  enum Kind {
    /** A path the catalogue does not know. */
    NEW,
    /** A known path whose size or modification time changed. */
    CHANGED,
    /** A known, unchanged image whose sidecars changed: only its captions are read again. */
    SIDECARS
  }
}

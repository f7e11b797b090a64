package app.tessera.engine.download;

import java.io.IOException;

/** A download that stopped before the announced size: its partial file is kept for a resume. */
public final class IncompleteDownloadException extends IOException {
  private static final long serialVersionUID = 1L;

  public IncompleteDownloadException(String message) {
    super(message);
  }
}

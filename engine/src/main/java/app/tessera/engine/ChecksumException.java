package app.tessera.engine;

import java.io.IOException;

/**
 * A file whose bytes differ from the SHA-256 recorded or pinned for it (a changed model bundle, a
 * download that is not the pinned file): bad data, never used, rather than a failing disk.
 */
public class ChecksumException extends IOException {
  private static final long serialVersionUID = 1L;

  public ChecksumException(String message) {
    super(message);
  }
}

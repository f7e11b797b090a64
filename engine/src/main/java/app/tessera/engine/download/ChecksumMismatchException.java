package app.tessera.engine.download;

import app.tessera.engine.ChecksumException;

/** A model file whose bytes do not hash to the pinned SHA-256: it is never used. */
public final class ChecksumMismatchException extends ChecksumException {
  private static final long serialVersionUID = 1L;

  public ChecksumMismatchException(String message) {
    super(message);
  }
}

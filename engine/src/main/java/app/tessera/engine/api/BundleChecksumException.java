package app.tessera.engine.api;

import app.tessera.engine.ChecksumException;

/**
 * A model bundle refused before loading: a file is missing, changed, or has no recorded SHA-256.
 */
public final class BundleChecksumException extends ChecksumException {
  public BundleChecksumException(String message) {
    super(message);
  }
}

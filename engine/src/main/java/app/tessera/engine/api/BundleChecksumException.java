package app.tessera.engine.api;

import java.io.IOException;

/**
 * A model bundle refused before loading: a file is missing, changed, or has no recorded SHA-256.
 */
public final class BundleChecksumException extends IOException {
  public BundleChecksumException(String message) {
    super(message);
  }
}

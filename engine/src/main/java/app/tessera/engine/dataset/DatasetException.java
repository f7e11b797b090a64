package app.tessera.engine.dataset;

import java.io.IOException;

/** A dataset folder that cannot be read as one: says which file, line and field is wrong. */
public final class DatasetException extends IOException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}

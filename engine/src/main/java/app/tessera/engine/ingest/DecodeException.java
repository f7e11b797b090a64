package app.tessera.engine.ingest;

/** A file could not be turned into an image; the message is the reason shown to the user. */
public final class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public DecodeException(String reason) {
    super(reason);
  }

  public DecodeException(String reason, Throwable cause) {
    super(reason, cause);
  }
}

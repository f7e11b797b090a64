package app.tessera.engine.eval;

/** Cross-modal retrieval directions: the query modality, then the database modality. */
public enum Direction {
  /** Image queries against the captions of the database. */
  I2T("i2t", "image→text"),
  /** Caption queries against the images of the database. */
  T2I("t2i", "text→image");

  private final String code;
  private final String title;

  Direction(String code, String title) {
    this.code = code;
    this.title = title;
  }

  /** {@code i2t} or {@code t2i}, as in the JSON records. */
  public String code() {
    return code;
  }

  public String title() {
    return title;
  }
}

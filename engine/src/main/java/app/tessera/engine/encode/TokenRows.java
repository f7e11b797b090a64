package app.tessera.engine.encode;

import java.util.Objects;

/**
 * Token-level features of a list of items: one row of {@code shape.size()} values per item (see
 * {@link Tokens} for the layout).
 */
public record TokenRows(Tokens shape, float[][] rows) {
  public TokenRows {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(rows, "rows");
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != shape.size()) {
        throw new IllegalArgumentException(
            "token row " + i + " does not have " + shape.count() + " x " + shape.dim() + " values");
      }
    }
  }

  public int size() {
    return rows.length;
  }

  /** The rows at {@code indexes}, in that order. */
  public TokenRows select(int[] indexes) {
    float[][] out = new float[indexes.length][];
    for (int i = 0; i < indexes.length; i++) {
      out[i] = rows[indexes[i]];
    }
    return new TokenRows(shape, out);
  }
}

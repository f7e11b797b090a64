package app.tessera.engine.eval;

import java.util.Objects;

/**
 * Image and text features of every row of a dataset, in manifest order.
 *
 * @param encoders identifies the encoders that made them (e.g. {@code tessera-cnn@…+minilm@…}):
 *     part of the model-cache key, so models trained on other features are never reused
 * @param images one image feature per row
 * @param texts one caption feature per row
 */
public record RowFeatures(String encoders, float[][] images, float[][] texts) {
  public RowFeatures {
    Objects.requireNonNull(encoders, "encoders");
    if (images.length != texts.length) {
      throw new IllegalArgumentException(
          "one image and one text feature per row: " + images.length + " vs " + texts.length);
    }
  }

  /** Whether both modalities have features of one length (a shared space is then plausible). */
  public boolean sameDimension() {
    return images.length > 0 && images[0].length == texts[0].length;
  }
}

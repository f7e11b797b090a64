package app.tessera.engine.hashing;

import java.util.Objects;

/**
 * Paired features of one split: row {@code i} of {@code images} and of {@code texts} is one
 * image-caption pair. {@code labels} is the multi-hot label matrix (n x C), or {@code null} when
 * the data has no labels (label-free methods only).
 */
public record FeatureSet(float[][] images, float[][] texts, float[][] labels) {
  public FeatureSet {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(texts, "texts");
    if (images.length != texts.length) {
      throw new IllegalArgumentException(
          "images and texts must pair up: " + images.length + " vs " + texts.length);
    }
    if (labels != null && labels.length != images.length) {
      throw new IllegalArgumentException(
          "labels must have one row per pair: " + labels.length + " vs " + images.length);
    }
  }

  public int size() {
    return images.length;
  }

  public boolean hasLabels() {
    return labels != null;
  }

  public int imageDim() {
    return images.length == 0 ? 0 : images[0].length;
  }

  public int textDim() {
    return texts.length == 0 ? 0 : texts[0].length;
  }
}

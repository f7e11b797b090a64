package app.tessera.engine.hashing;

import app.tessera.engine.encode.TokenRows;
import java.util.Objects;

/**
 * Paired features of one split: row {@code i} of {@code images} and of {@code texts} is one
 * image-caption pair. {@code labels} is the multi-hot label matrix (n x C), or {@code null} when
 * the data has no labels (label-free methods only). {@code imageTokens} and {@code textTokens} are
 * the token-level features of the same rows ({@link TokenRows}), or {@code null} when not computed:
 * only methods that {@link HashingMethod#needsTokens() need tokens} read them.
 */
public record FeatureSet(
    float[][] images,
    float[][] texts,
    float[][] labels,
    TokenRows imageTokens,
    TokenRows textTokens) {
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
    if ((imageTokens == null) != (textTokens == null)) {
      throw new IllegalArgumentException("token features come for both modalities or for none");
    }
    if (imageTokens != null
        && (imageTokens.size() != images.length || textTokens.size() != images.length)) {
      throw new IllegalArgumentException(
          "token features must have one row per pair: "
              + imageTokens.size()
              + " and "
              + textTokens.size()
              + " vs "
              + images.length);
    }
  }

  /** Pooled features only. */
  public FeatureSet(float[][] images, float[][] texts, float[][] labels) {
    this(images, texts, labels, null, null);
  }

  public int size() {
    return images.length;
  }

  public boolean hasLabels() {
    return labels != null;
  }

  public boolean hasTokens() {
    return imageTokens != null;
  }

  public int imageDim() {
    return images.length == 0 ? 0 : images[0].length;
  }

  public int textDim() {
    return texts.length == 0 ? 0 : texts[0].length;
  }

  /** Codes of the images with {@code model}, with their tokens when it reads them. */
  public long[] imageCodes(HashModel model) {
    return model.readsTokens()
        ? model.encodeImages(images, requireTokens(imageTokens))
        : model.encodeImages(images);
  }

  /** Codes of the captions with {@code model}, with their tokens when it reads them. */
  public long[] textCodes(HashModel model) {
    return model.readsTokens()
        ? model.encodeTexts(texts, requireTokens(textTokens))
        : model.encodeTexts(texts);
  }

  private static float[][] requireTokens(TokenRows tokens) {
    if (tokens == null) {
      throw new IllegalArgumentException(
          "this model reads token-level features and the feature set has none");
    }
    return tokens.rows();
  }
}

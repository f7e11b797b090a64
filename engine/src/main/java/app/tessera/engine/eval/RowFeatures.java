package app.tessera.engine.eval;

import app.tessera.engine.encode.TokenRows;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Image and text features of every row of a dataset, in manifest order.
 *
 * @param encoders identifies the encoders that made them (e.g. {@code tessera-cnn@…+minilm@…}):
 *     part of the model-cache key, so models trained on other features are never reused
 * @param images one image feature per row
 * @param texts one caption feature per row
 * @param imageEncoderDir the saved image encoder that made {@code images} (so a trained model can
 *     be bundled with it), or null when the features come from elsewhere
 * @param imageTokens one row of image region tokens per row, or null when not computed
 * @param textTokens one row of caption word tokens per row, or null when not computed
 */
public record RowFeatures(
    String encoders,
    float[][] images,
    float[][] texts,
    Path imageEncoderDir,
    TokenRows imageTokens,
    TokenRows textTokens) {
  public RowFeatures(String encoders, float[][] images, float[][] texts) {
    this(encoders, images, texts, null);
  }

  public RowFeatures(String encoders, float[][] images, float[][] texts, Path imageEncoderDir) {
    this(encoders, images, texts, imageEncoderDir, null, null);
  }

  public RowFeatures {
    Objects.requireNonNull(encoders, "encoders");
    if (images.length != texts.length) {
      throw new IllegalArgumentException(
          "one image and one text feature per row: " + images.length + " vs " + texts.length);
    }
    if ((imageTokens == null) != (textTokens == null)
        || (imageTokens != null
            && (imageTokens.size() != images.length || textTokens.size() != images.length))) {
      throw new IllegalArgumentException("token features: one row per row, for both modalities");
    }
  }

  /** Whether both modalities have features of one length (a shared space is then plausible). */
  public boolean sameDimension() {
    return images.length > 0 && images[0].length == texts[0].length;
  }

  /** Whether token-level features came with the pooled ones. */
  public boolean hasTokens() {
    return imageTokens != null;
  }
}

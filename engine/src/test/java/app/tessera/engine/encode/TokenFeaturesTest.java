package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import app.tessera.engine.Device;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoders' token-level features and their compact cache. */
class TokenFeaturesTest {
  @TempDir Path dir;

  @Test
  void regionsAverageAdaptiveBinsOfAFeatureMap() {
    // One channel, 4 x 4, values 0..15; a 2 x 2 grid averages each quadrant.
    float[] map = new float[16];
    for (int i = 0; i < 16; i++) {
      map[i] = i;
    }
    assertThat(Tokens.regions(map, 0, 1, 4, 4, 2))
        .containsExactly(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, within(1e-6f));
    // 3 x 3 onto 2 x 2 overlaps the middle row and column (bins [0,2) and [1,3)).
    float[] small = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    assertThat(Tokens.regions(small, 0, 1, 3, 3, 2)[0]).isCloseTo(2f, within(1e-6f));
    assertThat(Tokens.regions(small, 0, 1, 3, 3, 2)[3]).isCloseTo(6f, within(1e-6f));
  }

  @Test
  void theCnnGivesNineRegionTokensOfItsLastFeatureMapInHalfPrecision() {
    try (TesseraCnnImageEncoder encoder =
        TesseraCnnImageEncoder.untrained(new TesseraCnn(24, 4, 8), Device.CPU)) {
      Tokens shape = encoder.tokens().orElseThrow();
      assertThat(shape).isEqualTo(new Tokens(9, 32)); // 3 x 3 regions, 8w channels
      List<BufferedImage> images = TinyImages.images(2, 24, 4);
      float[][] tokens = encoder.encodeTokens(images);
      assertThat(tokens).hasNumberOfRows(images.size());
      for (float[] row : tokens) {
        assertThat(row).hasSize(9 * 32);
        assertThat(Tokens.isHalf(row)).isTrue();
      }
      // The same image alone and in a batch: the same tokens.
      assertThat(encoder.encodeTokens(images.subList(3, 4))[0]).containsExactly(tokens[3]);
      assertThat(shape.cacheId(encoder.id())).isEqualTo(encoder.id() + "#tokens9x32-f16");
    }
  }

  @Test
  void miniLmGivesTheWordTokensOfACaptionPaddedWithZeros() throws Exception {
    try (MiniLmTextEncoder encoder = MiniLmTextEncoder.open(dir.resolve("minilm"))) {
      assertThat(encoder.tokens()).contains(new Tokens(16, 384));
      float[][] rows =
          encoder.encodeTokens(
              List.of(
                  "grinning face. happy, smile",
                  "one two three four five six seven eight nine ten eleven twelve thirteen"
                      + " fourteen fifteen sixteen seventeen eighteen"));
      // 4 words, the full stop and commas dropped; the rest is padding.
      assertThat(nonZeroTokens(rows[0])).isEqualTo(4);
      assertThat(nonZeroTokens(rows[1])).isEqualTo(16); // truncated to 16 words
      assertThat(Tokens.isHalf(rows[0])).isTrue();
    }
  }

  private static int nonZeroTokens(float[] row) {
    int count = 0;
    for (int t = 0; t < row.length / 384; t++) {
      boolean any = false;
      for (int j = 0; j < 384; j++) {
        any |= row[t * 384 + j] != 0;
      }
      count += any ? 1 : 0;
      if (!any) {
        for (int j = t * 384; j < row.length; j++) {
          assertThat(row[j]).as("padding comes last").isZero();
        }
        break;
      }
    }
    return count;
  }

  @Test
  void theFileCacheStoresHalfPrecisionTokensInTwoBytesAndOtherFeaturesInFour() throws IOException {
    FileFeatureStore store = new FileFeatureStore(dir);
    float[] tokens = Tokens.toHalf(new float[] {0.1f, -2.5f, 1e-3f, 300f});
    float[] pooled = {0.1f, -2.5f, 1e-3f, 300f};
    store.save("enc#tokens", Map.of("a", tokens, "b", tokens.clone()));
    store.save("enc", Map.of("a", pooled));
    assertThat(store.load("enc#tokens", List.of("a", "b")).get("a")).containsExactly(tokens);
    assertThat(store.load("enc", List.of("a")).get("a")).containsExactly(pooled);
    long halfBytes = Files.size(store.file("enc#tokens"));
    long fullBytes = Files.size(store.file("enc"));
    // Header 16 bytes; per item a 2-byte key length, 1-byte key and 4 values.
    assertThat(halfBytes).isEqualTo(16 + 2 * (3 + 4 * 2));
    assertThat(fullBytes).isEqualTo(16 + (3 + 4 * 4));
  }
}

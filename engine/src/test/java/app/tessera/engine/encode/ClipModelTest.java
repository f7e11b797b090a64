package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Hashes;
import app.tessera.engine.download.ChecksumMismatchException;
import app.tessera.engine.download.ModelDownloader;
import app.tessera.engine.download.ModelPack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the generated CLIP fixture (models/scripts/make_clip_fixture.py) through the same download,
 * verify and load code a real CLIP pack uses.
 */
class ClipModelTest {
  private static final String[] FILES = {ClipModel.VISION, ClipModel.TEXT, ClipModel.TOKENIZER};

  @TempDir Path mirror;
  @TempDir Path models;

  /** A pack pinned to the fixture files, served from a local "mirror" by file: URLs. */
  private ModelPack fixturePack(boolean corruptPin) throws IOException {
    List<ModelPack.File> files = new ArrayList<>();
    for (String name : FILES) {
      Path file = mirror.resolve(name);
      try (InputStream in = ClipModelTest.class.getResourceAsStream("clip-fixture/" + name)) {
        assertThat(in).as("fixture %s", name).isNotNull();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      String sha = Hashes.sha256(file);
      if (corruptPin && name.equals(ClipModel.VISION)) {
        sha = (sha.charAt(0) == '0' ? "1" : "0") + sha.substring(1);
      }
      files.add(new ModelPack.File(name, file.toUri().toString(), sha, Files.size(file)));
    }
    return new ModelPack("clip-fixture", "test", "test", files);
  }

  /** Opens the fixture pack, pinned to its own files, from a copy in {@code dir}. */
  static ClipModel openFixture(Path dir) throws IOException {
    List<ModelPack.File> files = new ArrayList<>();
    for (String name : FILES) {
      Path file = dir.resolve(name);
      try (InputStream in = ClipModelTest.class.getResourceAsStream("clip-fixture/" + name)) {
        Files.copy(in, file);
      }
      files.add(
          new ModelPack.File(name, file.toUri().toString(), Hashes.sha256(file), Files.size(file)));
    }
    return ClipModel.open(new ModelPack("clip-fixture", "test", "test", files), dir);
  }

  @Test
  void downloadsVerifiesAndEncodesBothModalities() throws IOException {
    ModelPack pack = fixturePack(false);
    List<String> log = new ArrayList<>();
    Path dir = ModelDownloader.download(pack, models, log::add);
    assertThat(dir).isEqualTo(models.resolve("clip-fixture"));
    assertThat(log).anyMatch(l -> l.contains("verified"));
    try (ClipModel clip = ClipModel.open(pack, dir)) {
      ImageEncoder images = clip.imageEncoder();
      TextEncoder texts = clip.textEncoder();
      assertThat(images.dimension()).isEqualTo(512);
      assertThat(texts.dimension()).isEqualTo(512);
      assertThat(images.inputSize()).isEqualTo(224);
      assertThat(images.id()).startsWith("clip-fixture-image@");
      assertThat(texts.id()).startsWith("clip-fixture-text@").isNotEqualTo(images.id());

      float[][] f =
          images.encode(
              List.of(
                  TinyImages.draw(0, 64, new Random(1), false),
                  TinyImages.draw(1, 224, new Random(1), true)));
      assertThat(f).hasDimensions(2, 512);
      assertThat(MiniLmTextEncoderTest.dot(f[0], f[0])).isBetween(0.999, 1.001);
      assertThat(f[0]).isNotEqualTo(f[1]);

      float[][] t = texts.encode(List.of("a photo of a dog", "red apple", "a photo of a dog"));
      assertThat(t).hasDimensions(3, 512);
      assertThat(t[0]).containsExactly(t[2]);
      assertThat(MiniLmTextEncoderTest.dot(t[0], t[1])).isLessThan(0.9999);
    }
    // A second download finds everything in place and fetches nothing.
    List<String> again = new ArrayList<>();
    ModelDownloader.download(pack, models, again::add);
    assertThat(again).allMatch(l -> l.contains("already present and verified"));
  }

  @Test
  void givesPatchAndWordTokensFromTheLastHiddenStates() throws IOException {
    try (ClipModel clip = openFixture(Files.createDirectories(models.resolve("tokens")))) {
      ImageEncoder images = clip.imageEncoder();
      assertThat(images.tokens()).contains(new Tokens(9, 16)); // 7 x 7 patches onto 3 x 3
      float[][] regions =
          images.encodeTokens(
              List.of(
                  TinyImages.draw(0, 64, new Random(1), false),
                  TinyImages.draw(1, 224, new Random(1), true)));
      assertThat(regions).hasDimensions(2, 9 * 16);
      assertThat(Tokens.isHalf(regions[0])).isTrue();
      assertThat(regions[0]).isNotEqualTo(regions[1]);

      TextEncoder texts = clip.textEncoder();
      assertThat(texts.tokens()).contains(new Tokens(16, 16));
      float[][] words = texts.encodeTokens(List.of("a photo of a dog", "red apple"));
      assertThat(words).hasDimensions(2, 16 * 16);
      // The words between the start and end tokens; the rest is padding.
      assertThat(nonZeroTokens(words[0], 16)).isEqualTo(5);
      assertThat(nonZeroTokens(words[1], 16)).isEqualTo(2);
    }
  }

  private static int nonZeroTokens(float[] row, int width) {
    int count = 0;
    for (int t = 0; t < row.length / width; t++) {
      for (int j = 0; j < width; j++) {
        if (row[t * width + j] != 0) {
          count++;
          break;
        }
      }
    }
    return count;
  }

  @Test
  void installsFromAFolderCopyWithTheSameChecks() throws IOException {
    ModelPack pack = fixturePack(false);
    List<String> log = new ArrayList<>();
    Path dir = ModelDownloader.installFrom(pack, models, mirror, log::add);
    assertThat(log).anyMatch(l -> l.startsWith("Copying file:"));
    try (ClipModel clip = ClipModel.open(pack, dir)) {
      assertThat(clip.textEncoder().encode(List.of("a dog"))).hasDimensions(1, 512);
    }
    assertThatThrownBy(
            () -> ModelDownloader.installFrom(fixturePack(true), models, mirror, l -> {}))
        .isInstanceOf(ChecksumMismatchException.class);
  }

  @Test
  void refusesADownloadWhoseChecksumDiffersAndInstallsNothing() throws IOException {
    ModelPack pack = fixturePack(true);
    assertThatThrownBy(() -> ModelDownloader.download(pack, models, l -> {}))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("Refusing vision_model.onnx of clip-fixture")
        .hasMessageContaining("SHA-256");
    Path dir = models.resolve("clip-fixture");
    assertThat(dir.resolve(ClipModel.VISION)).doesNotExist();
    assertThat(dir.resolve(ClipModel.VISION + ".part")).doesNotExist();
  }

  @Test
  void refusesToLoadAFileChangedAfterDownload() throws IOException {
    ModelPack pack = fixturePack(false);
    Path dir = ModelDownloader.download(pack, models, l -> {});
    Path text = dir.resolve(ClipModel.TEXT);
    byte[] bytes = Files.readAllBytes(text);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(text, bytes);
    assertThatThrownBy(() -> ClipModel.open(pack, dir))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("Refusing to load")
        .hasMessageContaining(ClipModel.TEXT);
  }

  @Test
  void refusesAPackWithoutPinnedChecksums() throws IOException {
    ModelPack pinned = fixturePack(false);
    List<ModelPack.File> files = new ArrayList<>(pinned.files());
    ModelPack.File vision = files.get(0);
    files.set(0, new ModelPack.File(vision.name(), vision.url(), null, vision.bytes()));
    ModelPack unpinned = new ModelPack("clip-fixture", "test", "test", files);
    assertThatThrownBy(() -> ModelDownloader.download(unpinned, models, l -> {}))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("no verified SHA-256");
    assertThat(models.resolve("clip-fixture")).doesNotExist();
  }

  @Test
  void stopsADownloadThatGrowsPastThePinnedSize() throws IOException {
    ModelPack pack = fixturePack(false);
    List<ModelPack.File> files = new ArrayList<>(pack.files());
    ModelPack.File text = files.get(1);
    files.set(1, new ModelPack.File(text.name(), text.url(), text.sha256(), text.bytes() / 2));
    ModelPack shrunk = new ModelPack("clip-fixture", "test", "test", files);
    assertThatThrownBy(() -> ModelDownloader.download(shrunk, models, l -> {}))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("larger than the pinned " + text.bytes() / 2 + " bytes");
    Path dir = models.resolve("clip-fixture");
    assertThat(dir.resolve(ClipModel.TEXT)).doesNotExist();
    assertThat(dir.resolve(ClipModel.TEXT + ".part")).doesNotExist();
  }

  @Test
  void theShippedClipPackIsPinnedToOneRevision() {
    assertThat(ClipModel.VIT_B32.files())
        .hasSize(3)
        .allMatch(ModelPack.File::pinned)
        .allMatch(f -> f.bytes() > 0)
        .allMatch(f -> f.url().startsWith("https://huggingface.co/"))
        .allMatch(f -> f.url().contains("/resolve/d15189d7028b43f1d3e65039190477f6af591c2a/"));
  }
}

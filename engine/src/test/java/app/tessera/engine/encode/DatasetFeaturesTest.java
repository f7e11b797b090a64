package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.Device;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFeaturesTest {
  private static final long SEED = 3;

  @TempDir Path dataset;
  @TempDir Path cache;

  @Test
  void trainsOnceCachesEverythingAndNeverWritesTheDataset() throws IOException {
    writeDataset();
    List<String> before = listing();
    TesseraCnnTrainer.Options options =
        new TesseraCnnTrainer.Options(
            16, 4, 8, 2, 2, 3e-3, 0.1, 0, 0.2, Duration.ofMinutes(5), SEED, Device.CPU);

    List<String> firstLog = new ArrayList<>();
    DatasetFeatures.Result first =
        DatasetFeatures.compute(
            DatasetFeatures.readManifest(dataset), options, cache, firstLog::add);
    assertThat(first.ids()).hasSize(16).startsWith("colour/circle-0");
    assertThat(first.images()).hasDimensions(16, 384);
    assertThat(first.texts()).hasDimensions(16, 384);
    assertThat(first.textEncoderId()).startsWith("minilm-l6-v2-q@");
    assertThat(first.imageEncoderId()).startsWith("tessera-cnn-v1-16px-w4@");
    assertThat(firstLog)
        .anyMatch(line -> line.startsWith("Training the image encoder on 12 pairs"));
    assertThat(first.training())
        .containsEntry("trainRows", 12 - (int) first.training().get("validationRows"));

    List<String> secondLog = new ArrayList<>();
    DatasetFeatures.Result second =
        DatasetFeatures.compute(
            DatasetFeatures.readManifest(dataset), options, cache, secondLog::add);
    assertThat(secondLog).as("nothing decoded, encoded or trained again").isEmpty();
    assertThat(second.imageEncoderId()).isEqualTo(first.imageEncoderId());
    for (int i = 0; i < 16; i++) {
      assertThat(second.images()[i]).containsExactly(first.images()[i]);
      assertThat(second.texts()[i]).containsExactly(first.texts()[i]);
    }
    assertThat(listing()).isEqualTo(before);
  }

  @Test
  void labelsAreReadAndKeyTheEncoderCacheOnlyWhenTheLabelTermIsOn() throws IOException {
    writeDataset();
    List<DatasetFeatures.Pair> pairs = DatasetFeatures.readManifest(dataset);
    assertThat(pairs).allMatch(p -> p.labels().equals(List.of("shape")));
    TesseraCnnTrainer.Options plain = TesseraCnnTrainer.Options.defaults();
    TesseraCnnTrainer.Options labelled = plain.withLabelWeight(1);
    List<DatasetFeatures.Pair> relabelled = new ArrayList<>(pairs);
    DatasetFeatures.Pair first = pairs.get(0);
    relabelled.set(
        0,
        new DatasetFeatures.Pair(
            first.id(), first.image(), first.caption(), first.training(), List.of("other")));
    assertThat(DatasetFeatures.optionsKey(plain, "t@0", relabelled))
        .as("a caption-only encoder does not depend on labels")
        .isEqualTo(DatasetFeatures.optionsKey(plain, "t@0", pairs));
    assertThat(DatasetFeatures.optionsKey(labelled, "t@0", pairs))
        .isNotEqualTo(DatasetFeatures.optionsKey(plain, "t@0", pairs))
        .isNotEqualTo(DatasetFeatures.optionsKey(labelled, "t@0", relabelled));
  }

  @Test
  void pretrainedTowersTrainNothingAndAreCachedToo(@TempDir Path clipDir) throws IOException {
    writeDataset();
    try (ClipModel clip = ClipModelTest.openFixture(clipDir)) {
      List<String> firstLog = new ArrayList<>();
      DatasetFeatures.Result first =
          DatasetFeatures.encode(
              DatasetFeatures.readManifest(dataset),
              clip.imageEncoder(),
              clip.textEncoder(),
              cache,
              firstLog::add);
      assertThat(first.images()).hasDimensions(16, 512);
      assertThat(first.texts()).hasDimensions(16, 512);
      assertThat(first.imageEncoderId()).isEqualTo(clip.imageEncoder().id());
      assertThat(first.imageEncoderDir()).isNull();
      assertThat(firstLog)
          .contains("Encoding 16 images with " + clip.imageEncoder().id())
          .noneMatch(line -> line.contains("Training"));

      List<String> secondLog = new ArrayList<>();
      DatasetFeatures.Result second =
          DatasetFeatures.encode(
              DatasetFeatures.readManifest(dataset),
              clip.imageEncoder(),
              clip.textEncoder(),
              cache,
              secondLog::add);
      assertThat(secondLog).as("read from the cache").isEmpty();
      for (int i = 0; i < 16; i++) {
        assertThat(second.images()[i]).containsExactly(first.images()[i]);
        assertThat(second.texts()[i]).containsExactly(first.texts()[i]);
      }
    }
  }

  private void writeDataset() throws IOException {
    Random random = new Random(SEED);
    StringBuilder manifest = new StringBuilder("id,image,caption,labels,split\n");
    for (String style : List.of("colour", "line")) {
      Files.createDirectories(dataset.resolve("images").resolve(style));
      for (int s = 0; s < TinyImages.SHAPES.length; s++) {
        for (int k = 0; k < 2; k++) {
          String name = TinyImages.SHAPES[s] + "-" + k;
          BufferedImage image = TinyImages.draw(s, 24, random, style.equals("line"));
          ImageIO.write(
              image, "png", dataset.resolve("images/" + style + "/" + name + ".png").toFile());
          String split = k == 1 && s >= 2 ? "query" : "train+database";
          manifest
              .append(style)
              .append('/')
              .append(name)
              .append(",images/")
              .append(style)
              .append('/')
              .append(name)
              .append(".png,\"a ")
              .append(TinyImages.SHAPES[s])
              .append(", drawn, number ")
              .append(k)
              .append("\",shape,")
              .append(split)
              .append('\n');
        }
      }
    }
    Files.writeString(dataset.resolve("manifest.csv"), manifest);
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.walk(dataset)) {
      return files
          .map(p -> p + ":" + p.toFile().length() + ":" + p.toFile().lastModified())
          .sorted()
          .toList();
    }
  }
}

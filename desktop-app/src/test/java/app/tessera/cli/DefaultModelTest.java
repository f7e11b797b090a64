package app.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.encode.MiniLmTextEncoder;
import app.tessera.engine.encode.ModelInputImages;
import app.tessera.engine.encode.TesseraCnnImageEncoder;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.hashing.HashingMethods;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped default model and demo collection load from the classpath and retrieve well. */
class DefaultModelTest {
  private static final String DEFAULT = "/app/tessera/models/default";
  private static final String DEMO = "/app/tessera/models/demo";

  @TempDir Path dir;

  @BeforeEach
  void isolateDataDir() {
    System.setProperty(AppDirs.HOME_PROPERTY, dir.resolve("home").toString());
  }

  @AfterEach
  void restoreDataDir() {
    System.clearProperty(AppDirs.HOME_PROPERTY);
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = DefaultModelTest.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("missing resource " + name);
    }
    return in;
  }

  /** Copies the demo collection out of the classpath and reads it as a dataset folder. */
  private Dataset demo() throws IOException {
    Path folder = dir.resolve("demo");
    Files.createDirectories(folder.resolve("images"));
    try (InputStream in = resource(DEMO + "/manifest.csv")) {
      Files.copy(in, folder.resolve("manifest.csv"));
    }
    for (String line : Files.readAllLines(folder.resolve("manifest.csv"))) {
      int start = line.indexOf(",images/");
      if (start >= 0) {
        String image = line.substring(start + 1, line.indexOf(',', start + 1));
        try (InputStream in = resource(DEMO + "/" + image)) {
          Files.copy(in, folder.resolve(image));
        }
      }
    }
    return Dataset.read(folder);
  }

  @Test
  void defaultModelRetrievesTheDemoCollectionWellAboveChance() throws IOException {
    JsonNode manifest;
    try (InputStream in = resource(DEFAULT + "/manifest.json")) {
      manifest = new ObjectMapper().readTree(in);
    }
    int bits = manifest.get("bits").asInt();
    List<String> files = new ArrayList<>();
    manifest.get("hashing").get("files").forEach(f -> files.add(f.asText()));
    Dataset demo = demo();
    assertThat(demo.rows()).hasSize(120);
    List<DatasetRow> rows = demo.rows();
    try (TesseraCnnImageEncoder images =
            TesseraCnnImageEncoder.loadResource(DEFAULT + "/image-encoder", Device.CPU);
        MiniLmTextEncoder texts = MiniLmTextEncoder.open();
        HashModel hashing =
            HashingMethods.loadResource(
                manifest.get("method").asText(), DEFAULT + "/hashing", files)) {
      assertThat(images.id()).isEqualTo(manifest.get("imageEncoder").get("id").asText());
      assertThat(texts.id()).isEqualTo(manifest.get("textEncoder").get("id").asText());
      assertThat(hashing.bits()).isEqualTo(bits);
      List<BufferedImage> decoded = new ArrayList<>();
      for (DatasetRow row : rows) {
        decoded.add(ModelInputImages.load(row.image(), images.inputSize()));
      }
      long[] imageCodes = hashing.encodeImages(images.encode(decoded));
      long[] textCodes =
          hashing.encodeTexts(texts.encode(rows.stream().map(DatasetRow::caption).toList()));
      float[][] labels = demo.labelMatrix(rows);
      Relevance relevance = Relevance.sharedLabel(labels, labels);
      double chance = RetrievalEvaluator.chance(relevance).mapAll();
      double i2t = RetrievalEvaluator.hamming(imageCodes, textCodes, bits, relevance).mapAll();
      double t2i = RetrievalEvaluator.hamming(textCodes, imageCodes, bits, relevance).mapAll();
      assertThat(i2t).as("i2t vs chance %.3f", chance).isGreaterThan(chance + 0.1);
      assertThat(t2i).as("t2i vs chance %.3f", chance).isGreaterThan(chance + 0.1);
    }
  }
}

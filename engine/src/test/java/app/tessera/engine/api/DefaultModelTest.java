package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import app.tessera.engine.encode.ModelInputImages;
import app.tessera.engine.encode.TesseraCnnImageEncoder;
import app.tessera.engine.encode.TextEncoder;
import app.tessera.engine.hashing.HashModel;
import app.tessera.engine.metrics.Relevance;
import app.tessera.engine.metrics.RetrievalEvaluator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped default model and demo collection load from the classpath and retrieve well. */
class DefaultModelTest {

  @TempDir Path dir;

  private String previousHome;

  @BeforeEach
  void isolateDataDir() {
    previousHome = System.getProperty(AppDirs.HOME_PROPERTY);
    System.setProperty(AppDirs.HOME_PROPERTY, dir.resolve("home").toString());
  }

  @AfterEach
  void restoreDataDir() {
    if (previousHome == null) {
      System.clearProperty(AppDirs.HOME_PROPERTY);
    } else {
      System.setProperty(AppDirs.HOME_PROPERTY, previousHome);
    }
  }

  @Test
  void defaultModelRetrievesTheDemoCollectionWellAboveChance() throws IOException {
    Dataset demo = Dataset.read(ShippedModels.demoCollection());
    assertThat(demo.rows()).hasSize(120);
    List<DatasetRow> rows = demo.rows();
    try (ModelBundle bundle = ModelBundle.open(ShippedModels.defaultBundle(), Device.CPU)) {
      TesseraCnnImageEncoder images = (TesseraCnnImageEncoder) bundle.imageEncoder();
      TextEncoder texts = bundle.textEncoder();
      HashModel hashing = bundle.hashModel();
      int bits = bundle.manifest().bits();
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

package app.tessera.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Device;
import app.tessera.engine.dataset.Dataset;
import app.tessera.engine.dataset.DatasetRow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
  private static final long SEED = 5;

  @TempDir Path dir;

  /**
   * A dataset folder of 60 concepts x 3 styles: concept c has label "g(c % 5)"; concepts 0-9 are
   * queries, 10-19 database only, the rest train+database.
   */
  private Dataset writeDataset() throws IOException {
    Files.write(dir.resolve("x.png"), new byte[] {1});
    StringBuilder manifest = new StringBuilder("id,image,caption,labels,split\n");
    for (int c = 0; c < 60; c++) {
      String split = c < 10 ? "query" : c < 20 ? "database" : "train+database";
      for (int s = 0; s < 3; s++) {
        manifest.append(
            String.format("c%d-s%d,x.png,\"concept %d, drawn\",g%d,%s%n", c, s, c, c % 5, split));
      }
    }
    Files.writeString(dir.resolve("manifest.csv"), manifest);
    return Dataset.read(dir);
  }

  /** Features: a per-label direction plus a per-concept one, seen through two noisy linear maps. */
  private static RowFeatures features(Dataset dataset) {
    Random random = new Random(SEED);
    int latent = 8;
    float[][] imageMix = matrix(random, 24, latent);
    float[][] textMix = matrix(random, 24, latent);
    float[][] labelLatent = matrix(random, 5, latent);
    Map<String, float[]> conceptLatent = new HashMap<>();
    List<float[]> images = new ArrayList<>();
    List<float[]> texts = new ArrayList<>();
    for (DatasetRow row : dataset.rows()) {
      float[] z =
          conceptLatent.computeIfAbsent(
              row.caption(),
              c -> {
                float[] v = labelLatent[row.labels()[0]].clone();
                for (int j = 0; j < latent; j++) {
                  v[j] += 0.5f * (float) random.nextGaussian();
                }
                return v;
              });
      images.add(apply(imageMix, z, random, 0.2f));
      texts.add(apply(textMix, z, random, 0f));
    }
    return new RowFeatures(
        "synthetic@" + SEED, images.toArray(float[][]::new), texts.toArray(float[][]::new));
  }

  private static float[][] matrix(Random random, int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return m;
  }

  private static float[] apply(float[][] m, float[] z, Random random, float noise) {
    float[] out = new float[m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < z.length; j++) {
        out[i] += m[i][j] * z[j];
      }
      out[i] += noise * (float) random.nextGaussian();
    }
    return out;
  }

  @Test
  void evaluatesBothDirectionsWritesJsonAndReportAndReusesCachedModels() throws IOException {
    Dataset dataset = writeDataset();
    RowFeatures features = features(dataset);
    EvalSettings settings =
        new EvalSettings(
            List.of("contrastive", "rotation"),
            List.of(16, 32),
            2,
            1,
            3,
            Device.CPU,
            0.1,
            42,
            Map.of("batch", "32", "hidden", "64", "lr", "0.003"),
            dir.resolve("cache"));
    List<String> messages = new ArrayList<>();
    EvaluationReport report = Evaluation.run(dataset, features, settings, messages::add);
    assertThat(report.queries()).isEqualTo(30);
    assertThat(report.databaseSize()).isEqualTo(150);
    assertThat(report.records()).hasSize(8);
    assertThat(messages).anyMatch(m -> m.contains("contrastive 16b seed 1: epoch 3/3 loss"));

    Path json = dir.resolve("out/eval.json");
    report.writeJson(json);
    JsonNode records = new ObjectMapper().readTree(json.toFile());
    assertThat(records.size()).isEqualTo(8);
    double chance = records.get(0).get("chance_map_all").asDouble();
    assertThat(chance).isBetween(0.15, 0.3); // 5 balanced labels: about 1/5
    for (JsonNode r : records) {
      assertThat(r.get("method").asText()).isIn("contrastive", "rotation");
      assertThat(r.get("bits").asInt()).isIn(16, 32);
      assertThat(r.get("direction").asText()).isIn("i2t", "t2i");
      assertThat(r.get("map_all_std").asDouble()).isGreaterThanOrEqualTo(0);
      assertThat(r.get("map_at_50").isNumber()).isTrue();
      assertThat(r.get("pr_by_radius").get("precision").size())
          .isEqualTo(r.get("bits").asInt() + 1);
      assertThat(r.get("float_cosine_map_all").isNumber()).isTrue();
      if (r.get("method").asText().equals("contrastive")) {
        assertThat(r.get("map_all").asDouble())
            .as("seed %d, %s %s", SEED, r.get("bits"), r.get("direction"))
            .isGreaterThan(chance + 0.2);
      }
    }

    Path markdown = ReportWriter.write(report, dir.resolve("report"));
    assertThat(Files.readString(markdown))
        .contains("| contrastive | 16 |", "float cosine", "chance");
    assertThat(dir.resolve("report/pr-contrastive-i2t.svg")).content().startsWith("<svg");
    assertThat(dir.resolve("report/pk-rotation-t2i.svg")).exists();

    List<String> again = new ArrayList<>();
    EvaluationReport second = Evaluation.run(dataset, features, settings, again::add);
    assertThat(again).noneMatch(m -> m.contains("epoch"));
    assertThat(again).anyMatch(m -> m.contains("reused from cache"));
    assertThat(second.records().get(0).mapAll().mean())
        .isEqualTo(report.records().get(0).mapAll().mean());
  }

  @Test
  void unknownMethodsAreRefusedClearly() throws IOException {
    Dataset dataset = writeDataset();
    RowFeatures features = features(dataset);
    EvalSettings unknown =
        new EvalSettings(
            List.of("nope"), List.of(16), 1, 1, 1, Device.CPU, 0.1, 42, Map.of(), null);
    assertThatThrownBy(() -> Evaluation.run(dataset, features, unknown, ProgressListener.NONE))
        .hasMessageContaining("unknown method 'nope'")
        .hasMessageContaining("available: contrastive");
  }
}

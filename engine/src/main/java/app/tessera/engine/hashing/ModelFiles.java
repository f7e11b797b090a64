package app.tessera.engine.hashing;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import app.tessera.engine.train.Weights;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The saved form shared by the supervised methods' models (BiLGSEH, SCAHN): a JSON metadata file
 * beside a DJL parameter stream of the query-time block, in one folder.
 */
public final class ModelFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFiles() {}

  /**
   * Loads {@code parameters} (a {@link Weights#snapshot} or a saved parameter file) into an
   * initialised block.
   *
   * @throws IOException when they do not fit the block (another architecture, a damaged file)
   */
  public static void restore(Block block, NDManager manager, byte[] parameters, String method)
      throws IOException {
    try {
      Weights.restore(block, manager, parameters);
    } catch (IllegalStateException | UncheckedIOException e) {
      throw new IOException(method + " parameters do not fit the model: " + e.getMessage(), e);
    }
  }

  /**
   * The metadata of the model in {@code dir}, after checking that both files are there.
   *
   * @param method the method's name, for the error message
   */
  public static <T> T readMetadata(
      Path dir, String metadataFile, String parametersFile, Class<T> type, String method)
      throws IOException {
    if (!Files.isRegularFile(dir.resolve(metadataFile))
        || !Files.isRegularFile(dir.resolve(parametersFile))) {
      throw new NoSuchFileException(
          dir.toString(),
          null,
          "not a " + method + " model (needs " + metadataFile + " and " + parametersFile + ")");
    }
    try (InputStream in = Files.newInputStream(dir.resolve(metadataFile))) {
      return JSON.readValue(in, type);
    }
  }

  /** Refuses a saved model of another method or format. */
  public static void requireFormat(
      Path dir, String method, int format, String expectedMethod, int expectedFormat)
      throws IOException {
    if (!expectedMethod.equals(method) || format != expectedFormat) {
      throw new IOException(
          dir
              + " holds method '"
              + method
              + "' format "
              + format
              + ", not "
              + expectedMethod
              + " format "
              + expectedFormat);
    }
  }

  /**
   * Writes {@code metadata} (indented JSON) and the parameters of {@code block} into {@code dir}.
   */
  public static void write(
      Path dir, String metadataFile, Object metadata, String parametersFile, Block block)
      throws IOException {
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve(metadataFile))) {
      JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, metadata);
    }
    Files.write(dir.resolve(parametersFile), Weights.snapshot(block));
  }
}

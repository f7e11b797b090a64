package app.tessera.engine.hashing;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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

  /** What every saved model's metadata says first: its method and the format of its files. */
  public interface Header {
    String method();

    int format();
  }

  /** A saved model as read back: its metadata and its parameter stream. */
  public record Saved<T extends Header>(T metadata, byte[] parameters) {}

  /**
   * The model saved in {@code dir} by {@link #write}, after checking that both files are there and
   * that it is {@code method}'s, in {@code format}.
   */
  public static <T extends Header> Saved<T> read(
      Path dir,
      String metadataFile,
      String parametersFile,
      Class<T> type,
      String method,
      int format)
      throws IOException {
    if (!Files.isRegularFile(dir.resolve(metadataFile))
        || !Files.isRegularFile(dir.resolve(parametersFile))) {
      throw new NoSuchFileException(
          dir.toString(),
          null,
          "not a " + method + " model (needs " + metadataFile + " and " + parametersFile + ")");
    }
    T metadata;
    try (InputStream in = Files.newInputStream(dir.resolve(metadataFile))) {
      metadata = JSON.readValue(in, type);
    }
    if (!method.equals(metadata.method()) || metadata.format() != format) {
      throw new IOException(
          dir
              + " holds method '"
              + metadata.method()
              + "' format "
              + metadata.format()
              + ", not "
              + method
              + " format "
              + format);
    }
    return new Saved<>(metadata, Files.readAllBytes(dir.resolve(parametersFile)));
  }

  /**
   * A DJL model (PyTorch engine) holding {@code block}, initialised for {@code inputs} and loaded
   * with {@code parameters} (a {@link Weights#snapshot} or a saved parameter stream); the caller
   * closes it. Nothing stays open when this fails.
   *
   * @throws IOException when the parameters do not fit the block (another architecture, a damaged
   *     file)
   */
  public static Model withParameters(
      String method, Block block, ai.djl.Device device, byte[] parameters, Shape... inputs)
      throws IOException {
    Model model = Model.newInstance(method, device, "PyTorch");
    try {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, inputs);
      Weights.restore(block, model.getNDManager(), parameters);
      return model;
    } catch (IllegalStateException | UncheckedIOException e) {
      model.close();
      throw new IOException(method + " parameters do not fit the model: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      model.close();
      throw e;
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

package app.tessera.engine.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A network's parameters as bytes (DJL's own parameter format): what a training loop keeps of its
 * best epoch, writes into a checkpoint and restores at the end.
 */
public final class Weights {
  private Weights() {}

  /** The parameters of {@code block}, now. */
  public static byte[] snapshot(Block block) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException("could not snapshot parameters", e);
    }
    return bytes.toByteArray();
  }

  /** Loads {@code weights} (from {@link #snapshot} of the same architecture) into {@code block}. */
  public static void restore(Block block, NDManager manager, byte[] weights) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
      block.loadParameters(manager, in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not restore parameters", e);
    } catch (MalformedModelException e) {
      throw new IllegalStateException("corrupt parameters: " + e.getMessage(), e);
    }
  }
}

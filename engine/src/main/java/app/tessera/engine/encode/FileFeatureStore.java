package app.tessera.engine.encode;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link FeatureStore} of one file per encoder, {@code <dir>/<encoder id>.f32}: a header (magic,
 * dimension, count, bytes per value) then, per item, its key and its values: four-byte floats, or
 * two-byte half-precision floats when every value of the file is one exactly (token features, see
 * {@link Tokens}), so the compact form loses nothing. Files are replaced atomically, so a crash
 * never leaves a half-written cache; a damaged or foreign file reads as empty (the features are
 * recomputed) rather than failing the run.
 */
public final class FileFeatureStore implements FeatureStore {
  private static final int MAGIC = 0x54534631; // "TSF1": four-byte floats, no width field
  private static final int MAGIC_WIDTH = 0x54534632; // "TSF2": a bytes-per-value field follows

  private final Path dir;

  public FileFeatureStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The file holding {@code encoderId}'s vectors (characters unsafe in file names replaced). */
  public Path file(String encoderId) {
    return dir.resolve(encoderId.replaceAll("[^A-Za-z0-9._@-]", "_") + ".f32");
  }

  @Override
  public synchronized Map<String, float[]> load(String encoderId, Collection<String> keys)
      throws IOException {
    Map<String, float[]> all = readAll(file(encoderId));
    Map<String, float[]> found = new HashMap<>();
    for (String key : keys) {
      float[] v = all.get(key);
      if (v != null) {
        found.put(key, v);
      }
    }
    return found;
  }

  @Override
  public synchronized void save(String encoderId, Map<String, float[]> features)
      throws IOException {
    if (features.isEmpty()) {
      return;
    }
    Path file = file(encoderId);
    Map<String, float[]> all = new LinkedHashMap<>(readAll(file));
    all.putAll(features);
    int dim = all.values().iterator().next().length;
    boolean half = true;
    for (Map.Entry<String, float[]> e : all.entrySet()) {
      if (e.getValue().length != dim) {
        throw new IllegalArgumentException(
            "feature of " + e.getKey() + " has " + e.getValue().length + " values, not " + dim);
      }
      half &= Tokens.isHalf(e.getValue());
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream raw = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
        out.writeInt(MAGIC_WIDTH);
        out.writeInt(dim);
        out.writeInt(all.size());
        out.writeInt(half ? 2 : 4);
        for (Map.Entry<String, float[]> e : all.entrySet()) {
          out.writeUTF(e.getKey());
          for (float v : e.getValue()) {
            if (half) {
              out.writeShort(Float.floatToFloat16(v));
            } else {
              out.writeFloat(v);
            }
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Map<String, float[]> readAll(Path file) {
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      int magic = in.readInt();
      if (magic != MAGIC && magic != MAGIC_WIDTH) {
        return Map.of();
      }
      int dim = in.readInt();
      int count = in.readInt();
      boolean half = magic == MAGIC_WIDTH && in.readInt() == 2;
      if (dim <= 0 || count < 0) {
        return Map.of();
      }
      Map<String, float[]> all = new LinkedHashMap<>(count * 2);
      for (int i = 0; i < count; i++) {
        String key = in.readUTF();
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
          v[j] = half ? Float.float16ToFloat(in.readShort()) : in.readFloat();
        }
        all.put(key, v);
      }
      return all;
    } catch (IOException damaged) {
      return Map.of(); // recompute rather than fail: the cache is only an accelerator
    }
  }
}

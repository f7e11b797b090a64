package app.tessera.engine.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian BLOB encodings of primitive arrays (the catalogue's on-disk layout). */
public final class Blobs {
  private Blobs() {}

  public static byte[] ofLongs(long[] values, int from, int count) {
    ByteBuffer buffer = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asLongBuffer().put(values, from, count);
    return buffer.array();
  }

  public static byte[] ofLongs(long[] values) {
    return ofLongs(values, 0, values.length);
  }

  /** Decodes {@code blob} into {@code out} starting at {@code offset}; returns the count read. */
  public static int toLongs(byte[] blob, long[] out, int offset) {
    int n = blob.length / Long.BYTES;
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out, offset, n);
    return n;
  }

  public static long[] toLongs(byte[] blob) {
    long[] out = new long[blob.length / Long.BYTES];
    toLongs(blob, out, 0);
    return out;
  }

  public static byte[] ofFloats(float[] values) {
    ByteBuffer buffer =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer.array();
  }

  public static float[] toFloats(byte[] blob) {
    float[] out = new float[blob.length / Float.BYTES];
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /**
   * Floats in two bytes each (IEEE half precision) when every value is exactly a half-precision
   * number, as token features are; else in four. {@link #toFloats(byte[], int)} tells the two apart
   * by the length.
   */
  public static byte[] ofFloatsCompact(float[] values) {
    for (float v : values) {
      if (Float.float16ToFloat(Float.floatToFloat16(v)) != v && !Float.isNaN(v)) {
        return ofFloats(values);
      }
    }
    ByteBuffer buffer =
        ByteBuffer.allocate(values.length * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putShort(Float.floatToFloat16(v));
    }
    return buffer.array();
  }

  /**
   * Decodes a blob of {@code dim} floats written by {@link #ofFloatsCompact} or {@link #ofFloats}.
   */
  public static float[] toFloats(byte[] blob, int dim) {
    if (blob.length != dim * Short.BYTES || dim == 0) {
      return toFloats(blob);
    }
    float[] out = new float[dim];
    ByteBuffer buffer = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < dim; i++) {
      out[i] = Float.float16ToFloat(buffer.getShort());
    }
    return out;
  }
}

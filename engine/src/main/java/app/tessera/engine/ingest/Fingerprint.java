package app.tessera.engine.ingest;

import app.tessera.engine.Hashes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Content identity of a file: its size plus SHA-256 of its first and last {@link #SPAN} bytes (the
 * whole file when it is smaller than two spans). Moving or renaming a file keeps its fingerprint,
 * so its item keeps its captions, labels, features and codes. Reading two spans instead of the
 * whole file keeps re-identification cheap; the size and both ends must all match for a collision.
 */
public final class Fingerprint {
  private Fingerprint() {}

  /** Bytes hashed at each end. */
  public static final int SPAN = 64 * 1024;

  /** Fingerprints a file, reading at most two spans (read-only). */
  public static String of(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      MessageDigest digest = Hashes.sha256();
      digest.update(ByteBuffer.allocate(Long.BYTES).putLong(size).flip());
      if (size <= 2L * SPAN) {
        hashRange(channel, 0, size, digest);
      } else {
        hashRange(channel, 0, SPAN, digest);
        hashRange(channel, size - SPAN, SPAN, digest);
      }
      return format(size, digest);
    }
  }

  /** Fingerprints content already in memory (same value as {@link #of(Path)}). */
  public static String of(byte[] content) {
    MessageDigest digest = Hashes.sha256();
    long size = content.length;
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(size).flip());
    if (size <= 2L * SPAN) {
      digest.update(content);
    } else {
      digest.update(content, 0, SPAN);
      digest.update(content, content.length - SPAN, SPAN);
    }
    return format(size, digest);
  }

  private static void hashRange(FileChannel channel, long from, long length, MessageDigest digest)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, SPAN));
    long position = from;
    long end = from + length;
    while (position < end) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("file shrank while being read");
      }
      digest.update(buffer.flip());
      position += n;
    }
  }

  private static String format(long size, MessageDigest digest) {
    return size + ":" + HexFormat.of().formatHex(digest.digest(), 0, 16);
  }
}

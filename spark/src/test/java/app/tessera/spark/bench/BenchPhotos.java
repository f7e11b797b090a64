package app.tessera.spark.bench;

import app.tessera.spark.TestArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Writes the throughput benchmark's photo folder (docs/scale-out.md): {@code count} photo-like
 * JPEGs of 1, 2, 4, 8 and 12 MP in turn, 100 to a folder, half of them with a caption sidecar.
 * Eight distinct pictures per size; every file is made unique by a JPEG comment, so each has its
 * own fingerprint and is decoded. Usage: {@code BenchPhotos DIR COUNT}.
 */
public final class BenchPhotos {
  private BenchPhotos() {}

  private static final int[][] SIZES = {
    {1152, 864}, {1632, 1224}, {2304, 1728}, {3264, 2448}, {4000, 3000}
  };

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    List<byte[]> bases =
        IntStream.range(0, SIZES.length * 8)
            .parallel()
            .mapToObj(
                i -> {
                  int[] size = SIZES[i % SIZES.length];
                  try {
                    return TestArchive.jpeg(TestArchive.photo(size[0], size[1], 1000 + i));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .toList();
    for (int i = 0; i < count; i++) {
      byte[] base = bases.get(i % bases.size());
      byte[] comment = ("tessera spark bench " + i).getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[base.length + 4 + comment.length];
      out[0] = (byte) 0xFF;
      out[1] = (byte) 0xD8;
      out[2] = (byte) 0xFF;
      out[3] = (byte) 0xFE; // COM
      out[4] = (byte) ((comment.length + 2) >> 8);
      out[5] = (byte) (comment.length + 2);
      System.arraycopy(comment, 0, out, 6, comment.length);
      System.arraycopy(base, 2, out, 6 + comment.length, base.length - 2);
      Path file = dir.resolve("dir" + (i / 100) + "/photo" + i + ".jpg");
      Files.createDirectories(file.getParent());
      Files.write(file, out);
      if (i % 2 == 0) {
        Files.writeString(
            dir.resolve("dir" + (i / 100) + "/photo" + i + ".txt"),
            "photo " + i + ": a " + TestArchive.COLOURS[i % 4] + " " + TestArchive.SHAPES[i % 3]);
      }
    }
  }
}

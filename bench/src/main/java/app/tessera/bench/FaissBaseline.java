package app.tessera.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * FAISS {@code IndexBinaryFlat} on the same codes, through Debian's {@code python3-faiss} when it
 * is importable by {@code /usr/bin/python3}: the codes go to a temporary file as bytes (the
 * little-endian bytes of the packed words, which preserves Hamming distances) and the script times
 * one query at a time, like the Java rows.
 */
final class FaissBaseline {
  private static final String PYTHON = "/usr/bin/python3";

  /** Result of one FAISS run. */
  record Result(double p50Ms, double p99Ms, int queries, String version, int[] firstDistances) {}

  private FaissBaseline() {}

  /** Why FAISS cannot run here, or empty when it can. */
  static Optional<String> unavailable() {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return Optional.of(PYTHON + " not found");
    }
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import faiss, numpy").redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return Optional.of(
            "python3-faiss not importable (apt-get install python3-faiss to compare)");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot run " + PYTHON + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  static Result run(long[] codes, long[] queries, int bits, int k) throws IOException {
    if (bits % 8 != 0) {
      throw new IllegalArgumentException("FAISS binary codes need a multiple of 8 bits");
    }
    Path dir = Files.createTempDirectory("tessera-bench-faiss");
    try {
      Path codesFile = writeBytes(dir.resolve("codes.u8"), codes, bits);
      Path queriesFile = writeBytes(dir.resolve("queries.u8"), queries, bits);
      Path script = dir.resolve("faiss_binary_flat.py");
      try (InputStream in =
          FaissBaseline.class.getResourceAsStream("/app/tessera/bench/faiss_binary_flat.py")) {
        Files.copy(in, script);
      }
      Process p =
          new ProcessBuilder(
                  PYTHON,
                  script.toString(),
                  codesFile.toString(),
                  queriesFile.toString(),
                  Integer.toString(bits),
                  Integer.toString(k))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      // If the bench is stopped (Ctrl-C), the Python child must not go on burning the cores.
      Thread stopChild = new Thread(p::destroyForcibly, "bench-faiss-stop");
      Runtime.getRuntime().addShutdownHook(stopChild);
      String out;
      try {
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
          throw new IOException("FAISS script failed: " + out);
        }
      } finally {
        p.destroyForcibly();
        try {
          Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or has run
        }
      }
      JsonNode json = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
      int[] first = new int[json.get("first_distances").size()];
      for (int i = 0; i < first.length; i++) {
        first[i] = json.get("first_distances").get(i).asInt();
      }
      return new Result(
          json.get("p50_ms").asDouble(),
          json.get("p99_ms").asDouble(),
          json.get("queries").asInt(),
          json.get("version").asText()
              + ", best of 1 and all cores: "
              + json.get("omp_threads").asInt()
              + " OpenMP thread(s)",
          first);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static Path writeBytes(Path file, long[] codes, int bits) throws IOException {
    int words = (bits + 63) / 64;
    int bytesPerCode = bits / 8;
    int n = codes.length / words;
    ByteBuffer word = ByteBuffer.allocate(8 * words).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out =
        new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (int i = 0; i < n; i++) {
        word.clear();
        for (int w = 0; w < words; w++) {
          word.putLong(codes[i * words + w]);
        }
        out.write(word.array(), 0, bytesPerCode);
      }
    }
    return file;
  }
}

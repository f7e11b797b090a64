package app.tessera.engine.api;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Hashes;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What ships inside Tessera (module {@code models/}): the default model bundle, trained on
 * EmojiXM's training rows, and a small demo collection, so the app works on a fresh machine with no
 * download. Both are unpacked once into Tessera's data directory (never into user folders).
 */
public final class ShippedModels {
  static final String DEFAULT_BUNDLE = "/app/tessera/models/default";
  static final String DEMO = "/app/tessera/models/demo";

  private ShippedModels() {}

  /** The default model bundle, unpacked (once per shipped version) under the models folder. */
  public static Path defaultBundle() throws IOException {
    byte[] manifest = resource(DEFAULT_BUNDLE + "/" + ModelBundle.MANIFEST);
    Path target = AppDirs.modelsDir().resolve("default-" + shortHash(manifest));
    return ModelBundle.unpack(ShippedModels.class, DEFAULT_BUNDLE, target);
  }

  /**
   * The demo collection (images and their {@code manifest.csv}), unpacked once under the data
   * directory; returns its folder.
   */
  public static Path demoCollection() throws IOException {
    byte[] manifest = resource(DEMO + "/manifest.csv");
    Path target = AppDirs.demoDir(shortHash(manifest));
    Path done = target.resolve(".unpacked");
    if (Files.isRegularFile(done)) {
      return target;
    }
    Files.createDirectories(target);
    CsvMapper csv = new CsvMapper();
    try (MappingIterator<Map<String, String>> rows =
        csv.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(manifest)) {
      while (rows.hasNext()) {
        String image = rows.next().get("image");
        Path out = target.resolve(image).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("demo image outside its folder: " + image);
        }
        Files.createDirectories(out.getParent());
        Files.write(out, resource(DEMO + "/" + image));
      }
    }
    Files.write(target.resolve("manifest.csv"), manifest);
    Files.write(target.resolve("ATTRIBUTION.md"), resource(DEMO + "/ATTRIBUTION.md"));
    Files.createFile(done);
    return target;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ShippedModels.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(
            "missing shipped resource " + name + " (is the models module on the classpath?)");
      }
      return in.readAllBytes();
    }
  }

  /** The first 6 bytes of the SHA-256, in hex: a folder name per shipped version. */
  private static String shortHash(byte[] bytes) {
    return Hashes.sha256(bytes).substring(0, 12);
  }
}

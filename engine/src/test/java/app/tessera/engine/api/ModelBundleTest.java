package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Device;
import app.tessera.engine.Hashes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles name their encoders and record every file's SHA-256; a changed bundle is refused. */
class ModelBundleTest {
  @TempDir Path dir;

  private Path shippedCopy() throws IOException {
    return ModelBundle.unpack(ShippedModels.class, ShippedModels.DEFAULT_BUNDLE, dir.resolve("b"));
  }

  @Test
  void theShippedBundleNamesItsEncodersAndRecordsEveryFilesChecksum() throws IOException {
    Path bundleDir = shippedCopy();
    try (ModelBundle bundle = ModelBundle.open(bundleDir, Device.CPU)) {
      ModelBundle.Manifest m = bundle.manifest();
      assertThat(m.imageEncoder()).isEqualTo(EncoderPair.TESSERA_CNN);
      assertThat(m.textEncoder()).isEqualTo(EncoderPair.MINILM);
      assertThat(m.imageEncoderId()).isEqualTo(bundle.imageEncoder().id());
      assertThat(m.textEncoderId()).isEqualTo(bundle.textEncoder().id());
      assertThat(m.sha256().keySet()).containsExactlyInAnyOrderElementsOf(m.files());
      for (String file : m.files()) {
        assertThat(m.sha256().get(file)).isEqualTo(Hashes.sha256(bundleDir.resolve(file)));
      }
    }
  }

  @Test
  void aChangedFileIsRefusedWithItsName() throws IOException {
    Path bundleDir = shippedCopy();
    Path heads = bundleDir.resolve("hash/heads.params");
    byte[] bytes = Files.readAllBytes(heads);
    bytes[bytes.length / 2] ^= 0x01; // one bit: still loads as parameters, codes would differ
    Files.write(heads, bytes);
    assertThatThrownBy(() -> ModelBundle.open(bundleDir, Device.CPU))
        .isInstanceOf(BundleChecksumException.class)
        .hasMessageContaining("Refusing model bundle")
        .hasMessageContaining("hash/heads.params")
        .hasMessageContaining("damaged or changed");
  }

  @Test
  void aMissingFileOrAManifestWithoutChecksumsIsRefused() throws IOException {
    Path bundleDir = shippedCopy();
    Files.delete(bundleDir.resolve("image-encoder/tessera-cnn.json"));
    assertThatThrownBy(() -> ModelBundle.open(bundleDir, Device.CPU))
        .isInstanceOf(BundleChecksumException.class)
        .hasMessageContaining("image-encoder/tessera-cnn.json is missing");

    Path other =
        ModelBundle.unpack(ShippedModels.class, ShippedModels.DEFAULT_BUNDLE, dir.resolve("c"));
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(other.resolve(ModelBundle.MANIFEST).toFile());
    manifest.remove("sha256");
    json.writeValue(other.resolve(ModelBundle.MANIFEST).toFile(), manifest);
    assertThatThrownBy(() -> ModelBundle.open(other, Device.CPU))
        .isInstanceOf(BundleChecksumException.class)
        .hasMessageContaining("records no SHA-256");
  }

  @Test
  void aBundleWhoseEncoderIsNotTheOneItWasMadeWithIsRefused() throws IOException {
    Path bundleDir = shippedCopy();
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest =
        (ObjectNode) json.readTree(bundleDir.resolve(ModelBundle.MANIFEST).toFile());
    manifest.put("textEncoderId", "minilm-l6-v2-q@000000000000");
    json.writeValue(bundleDir.resolve(ModelBundle.MANIFEST).toFile(), manifest);
    assertThatThrownBy(() -> ModelBundle.open(bundleDir, Device.CPU))
        .hasMessageContaining("minilm-l6-v2-q@000000000000")
        .hasMessageContaining("its codes would not match");
  }
}

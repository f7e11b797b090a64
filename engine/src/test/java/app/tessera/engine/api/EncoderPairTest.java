package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.tessera.engine.Device;
import app.tessera.engine.TesseraException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderPairTest {
  @TempDir Path dir;

  @Test
  void aNamedBaseWithOtherEncodersIsRefusedNotReplaced() throws IOException {
    Files.writeString(
        dir.resolve(ModelBundle.MANIFEST),
        "{\"name\":\"clip-itq\",\"method\":\"itq\",\"bits\":16,"
            + "\"imageEncoder\":\"clip\",\"textEncoder\":\"clip\"}");
    assertThatThrownBy(() -> EncoderPair.ofBase(dir, Device.CPU))
        .isInstanceOfSatisfying(
            TesseraException.class,
            e -> assertThat(e.kind()).isEqualTo(TesseraException.Kind.BAD_INPUT))
        .hasMessageContaining("clip + clip")
        .hasMessageContaining("use --encoders clip (without --base)");
  }

  @Test
  void aNamedBaseWithTesserasEncodersGivesThem() throws IOException {
    try (EncoderPair pair = EncoderPair.ofBase(ShippedModels.defaultBundle(), Device.CPU)) {
      assertThat(pair.describe()).contains("tessera-cnn").contains("minilm");
    }
  }
}

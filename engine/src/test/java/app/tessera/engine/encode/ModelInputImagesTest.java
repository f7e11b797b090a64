package app.tessera.engine.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInputImagesTest {
  @TempDir Path dir;

  @Test
  void compositesTransparentPixelsOntoWhiteAndLetterboxes() throws IOException {
    BufferedImage rgba = new BufferedImage(40, 20, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(20, 10, Color.RED.getRGB()); // one opaque red pixel, the rest transparent black
    Path file = dir.resolve("rgba.png");
    ImageIO.write(rgba, "png", file.toFile());

    BufferedImage square = ModelInputImages.load(file, 16);
    assertThat(square.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(square.getWidth()).isEqualTo(16);
    assertThat(square.getHeight()).isEqualTo(16);
    assertThat(square.getRGB(0, 0) & 0xffffff).isEqualTo(0xffffff); // letterbox band
    assertThat(square.getRGB(2, 8) & 0xffffff).isEqualTo(0xffffff); // transparent -> white
  }

  @Test
  void readsPalettePngs() throws IOException {
    byte[] r = {(byte) 255, 0};
    byte[] g = {(byte) 255, 0};
    byte[] b = {(byte) 255, (byte) 255};
    BufferedImage palette =
        new BufferedImage(
            8, 8, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    palette.getRaster().setSample(4, 4, 0, 1);
    Path file = dir.resolve("palette.png");
    ImageIO.write(palette, "png", file.toFile());
    BufferedImage square = ModelInputImages.load(file, 8);
    assertThat(square.getRGB(4, 4) & 0xffffff).isEqualTo(0x0000ff);
    assertThat(square.getRGB(0, 0) & 0xffffff).isEqualTo(0xffffff);
  }

  @Test
  void failsClearlyOnMissingOrUnreadableFiles() throws IOException {
    assertThatThrownBy(() -> ModelInputImages.load(dir.resolve("none.png"), 8))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not found");
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
    assertThatThrownBy(() -> ModelInputImages.load(text, 8))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Not a readable image");
  }
}

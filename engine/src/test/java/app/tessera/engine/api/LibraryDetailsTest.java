package app.tessera.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import app.tessera.engine.Cancellation;
import app.tessera.engine.IndexListener;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Library#details} and {@link Library#labels}: what a preview and a label filter show. */
class LibraryDetailsTest {
  @TempDir Path dir;

  private static void png(Path file, Color colour) throws Exception {
    BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics g = image.getGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, 30, 20);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  @Test
  void detailsListEveryCaptionWithItsSourceTheLabelsFilesAndAttributes() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    png(photos.resolve("sun.png"), Color.ORANGE);
    png(photos.resolve("leaf.png"), Color.GREEN);
    Files.writeString(photos.resolve("sun.txt"), "the sun at noon");
    Files.writeString(
        photos.resolve("captions.csv"),
        "image,caption,labels,split\n"
            + "sun.png,a yellow circle,sky;warm,query\n"
            + "leaf.png,a green leaf,plant,train\n");
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      library.index(
          List.of(photos), IndexSettings.defaults(), IndexListener.NONE, new Cancellation());
      library.importCaptions(photos.resolve("captions.csv"), false, IndexListener.NONE);
      // Item ids are the catalogue's; find the sun's among the first few.
      long sun =
          java.util.stream.LongStream.rangeClosed(1, 50)
              .filter(
                  id -> library.details(id).map(d -> d.path().endsWith("sun.png")).orElse(false))
              .findFirst()
              .orElseThrow();

      ItemDetails details = library.details(sun).orElseThrow();

      assertThat(details.path()).isEqualTo(photos.resolve("sun.png").toAbsolutePath());
      assertThat(details.online()).isTrue();
      assertThat(details.format()).isEqualTo("png");
      assertThat(details.width()).isEqualTo(30);
      assertThat(details.height()).isEqualTo(20);
      assertThat(details.byteSize()).isEqualTo(Files.size(photos.resolve("sun.png")));
      assertThat(details.date())
          .isEqualTo(Files.getLastModifiedTime(photos.resolve("sun.png")).toInstant());
      assertThat(details.files())
          .singleElement()
          .satisfies(f -> assertThat(f.presence()).isEqualTo("present"));
      assertThat(details.captions())
          .extracting(ItemDetails.Caption::text, ItemDetails.Caption::source)
          .containsExactlyInAnyOrder(
              tuple("the sun at noon", "sidecar"), tuple("a yellow circle", "csv"));
      assertThat(details.labels())
          .extracting(ItemDetails.Label::name)
          .containsExactly("sky", "warm");
      assertThat(details.labels()).allSatisfy(l -> assertThat(l.source()).isEqualTo("csv"));
      assertThat(details.attributes()).containsEntry("split", "query");

      assertThat(List.copyOf(library.labels().entrySet()))
          .containsExactly(Map.entry("plant", 1), Map.entry("sky", 1), Map.entry("warm", 1));
      assertThat(library.details(-7)).isEmpty();
      // A caption's id is not an image: no details.
      long captionId = details.captions().getFirst().captionId();
      assertThat(library.details(captionId)).isEmpty();
    }
  }
}

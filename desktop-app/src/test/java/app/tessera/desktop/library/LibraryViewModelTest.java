package app.tessera.desktop.library;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.engine.IndexReport;
import app.tessera.engine.RootState;
import app.tessera.engine.api.Library;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library page's state over a real library, with every task run at once on this thread. */
class LibraryViewModelTest {
  @TempDir Path dir;

  @Test
  void indexingListsTheFolderItsFailuresAndTheSummary() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < 2; i++) {
      ImageIO.write(
          new BufferedImage(20 + i, 10, BufferedImage.TYPE_INT_RGB),
          "png",
          photos.resolve(i + ".png").toFile());
    }
    Files.writeString(photos.resolve("broken.jpg"), "not a jpeg");
    List<IndexReport> after = new ArrayList<>();
    try (Library library = Library.open(dir.resolve("library.sqlite"))) {
      LibraryViewModel model =
          new LibraryViewModel(() -> library, BackgroundTasks.sameThread(), after::add);

      model.index(List.of(photos));

      assertThat(model.runningProperty().get()).isFalse();
      assertThat(model.folders())
          .singleElement()
          .satisfies(
              folder -> {
                assertThat(folder.path()).isEqualTo(photos.toAbsolutePath());
                assertThat(folder.state()).isEqualTo(RootState.ONLINE);
                assertThat(folder.files()).isEqualTo(3);
              });
      assertThat(model.failures())
          .singleElement()
          .satisfies(f -> assertThat(f.path()).endsWith("broken.jpg"));
      assertThat(model.statusProperty().get()).startsWith("Indexed in").contains("2 added, ");
      assertThat(after).singleElement().satisfies(r -> assertThat(r.added()).isEqualTo(2));
    }
  }
}

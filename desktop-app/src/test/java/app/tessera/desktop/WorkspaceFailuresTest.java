package app.tessera.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.tessera.engine.Cancellation;
import app.tessera.engine.Device;
import app.tessera.engine.IndexListener;
import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import app.tessera.engine.api.IndexSettings;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelBundle;
import java.awt.image.BufferedImage;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window opens its library through the same engine checks as the command line: a file that is
 * not a library reaches the window as a typed failure with one line to show (its notification), and
 * the file is left as it was, never replaced by a new library or the demo collection.
 */
class WorkspaceFailuresTest {
  @TempDir Path dir;

  private TesseraException open(Path file) throws Exception {
    try (Workspace workspace =
        new Workspace(new LibrarySession(file), BackgroundTasks.sameThread())) {
      return catchThrowableOfType(TesseraException.class, () -> workspace.open(line -> {}));
    }
  }

  @Test
  void filesThatAreNotLibrariesAreOneLineFailuresAndLeftAsTheyWere() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.sqlite"), "holiday notes\n".repeat(100));
    Path other = dir.resolve("other.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE notes (text TEXT)");
    }
    byte[] otherBytes = Files.readAllBytes(other);
    Path folder = Files.createDirectories(dir.resolve("folder.sqlite"));

    for (Path file : new Path[] {notes, other, folder}) {
      TesseraException failure = open(file);
      assertThat(failure).as(file.toString()).isNotNull();
      assertThat(failure.kind()).isEqualTo(Kind.BAD_INPUT);
      assertThat(failure.getMessage()).contains(file.toString()).doesNotContain("\n");
    }
    assertThat(Files.readString(notes)).isEqualTo("holiday notes\n".repeat(100));
    assertThat(Files.readAllBytes(other)).isEqualTo(otherBytes);
    assertThat(folder).isEmptyDirectory();
  }

  /** A library of {@code n} indexed images, coded with the shipped model when {@code coded}. */
  private Path library(int n, boolean coded) throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Random random = new Random(7);
    for (int i = 0; i < n; i++) {
      BufferedImage image = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
      image.setRGB(i % 24, i / 24, random.nextInt(0x1000000));
      ImageIO.write(image, "png", photos.resolve("p" + i + ".png").toFile());
    }
    Path file = dir.resolve("lib/library.sqlite");
    try (Library library = Library.open(file)) {
      library.index(
          List.of(photos), IndexSettings.defaults(), IndexListener.NONE, new Cancellation());
      if (coded) {
        try (ModelBundle bundle = ModelBundle.open(library.defaultBundleDir(), Device.CPU)) {
          library.code(bundle, new Cancellation(), line -> {});
        }
      }
    }
    return file;
  }

  @Test
  void whileAnotherTesseraIndexesTheWindowSearchesWhatIsCodedAndSaysWhy() throws Exception {
    Path file = library(3, false);
    Path lock = file.resolveSibling("library.sqlite.lock");
    List<String> progress = new ArrayList<>();
    try (FileChannel channel =
            FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock(); // as a CLI 'index' holds it
        Workspace workspace =
            new Workspace(new LibrarySession(file), BackgroundTasks.sameThread())) {
      String status = workspace.open(progress::add);
      assertThat(status).startsWith("Library");
      assertThat(progress).anyMatch(line -> line.contains("is being changed by"));
    }
  }

  @Test
  void aReadOnlyLibraryIsSearchedWithItsStoredCodesAndLeftAsItWas() throws Exception {
    Path file = library(3, true);
    byte[] before = Files.readAllBytes(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    try (Workspace workspace =
        new Workspace(new LibrarySession(file), BackgroundTasks.sameThread())) {
      String status = workspace.open(line -> {});
      assertThat(status).contains("3 images");
      assertThat(workspace.search().imageCount()).isEqualTo(3);
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }
}

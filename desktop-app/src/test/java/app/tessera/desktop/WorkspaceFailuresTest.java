package app.tessera.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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
}

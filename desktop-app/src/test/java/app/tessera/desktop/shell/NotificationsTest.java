package app.tessera.desktop.shell;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.engine.ErrorLog;
import app.tessera.engine.TesseraException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bug shown in the window leaves its trace in the error log, as on the command line. */
class NotificationsTest {
  private final List<String> activity = new ArrayList<>();
  private final Notifications notifications =
      new Notifications(activity::add, Runnable::run, Runnable::run);

  @Test
  void aBugGoesToTheErrorLogAndANamedFailureDoesNot() throws IOException {
    long before = logSize();
    Notifications.Notice bug =
        notifications.error("Search failed", new IllegalStateException("index out of step"));
    String logged = Files.readString(ErrorLog.file()).substring((int) before);
    assertThat(logged)
        .contains("tessera window: Search failed")
        .contains("java.lang.IllegalStateException: index out of step")
        .contains("at app.tessera.desktop.shell.NotificationsTest");
    assertThat(bug.message()).isEqualTo("index out of step");
    assertThat(bug.details()).startsWith("Also written to " + ErrorLog.file());

    long afterBug = logSize();
    Notifications.Notice named =
        notifications.error(
            "Could not open",
            new TesseraException(
                TesseraException.Kind.BAD_INPUT, Path.of("x.sqlite"), "x.sqlite is not a library"));
    notifications.error("Could not read", new IOException("the drive went away"));
    assertThat(logSize()).as("nothing logged for named failures").isEqualTo(afterBug);
    assertThat(named.details()).doesNotContain("Also written to");
    assertThat(activity).hasSize(3);
  }

  private static long logSize() throws IOException {
    return Files.exists(ErrorLog.file()) ? Files.size(ErrorLog.file()) : 0;
  }
}

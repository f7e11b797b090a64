package app.tessera.engine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The log of internal errors (bugs) that every front end appends to, {@code logs/tessera.log} in
 * the data folder: the trace a person is asked to attach to a report. Started afresh beyond 1 MiB,
 * one older copy kept.
 */
public final class ErrorLog {
  private ErrorLog() {}

  private static final long LIMIT = 1 << 20;

  /** Where the traces go. */
  public static Path file() {
    return AppDirs.dataDir().resolve("logs").resolve("tessera.log");
  }

  /**
   * Appends {@code failure}'s trace under a heading (the time, the Java version and {@code what}:
   * the command line, or the window's action).
   *
   * @return the log file
   */
  public static synchronized Path append(Throwable failure, String what) throws IOException {
    Path log = file();
    Files.createDirectories(log.getParent());
    if (Files.exists(log) && Files.size(log) > LIMIT) {
      Files.move(
          log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    String entry =
        "=== " + Instant.now() + " Java " + Runtime.version() + ": " + what + "\n" + trace + "\n";
    Files.writeString(
        log, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return log;
  }
}

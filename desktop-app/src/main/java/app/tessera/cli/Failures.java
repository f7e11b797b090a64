package app.tessera.cli;

import app.tessera.engine.ChecksumException;
import app.tessera.engine.ErrorLog;
import app.tessera.engine.PathText;
import app.tessera.engine.TesseraException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * The command line's one error path: every failure becomes one line on stderr and an exit code
 * ({@link ExitCode}). A user error names the file and what to do; an internal error (a bug) says
 * where its full trace went, a log in the data folder. {@code --verbose} prints the trace too.
 */
final class Failures {
  private Failures() {}

  /**
   * Reports {@code failure} of {@code command} (e.g. "tessera index") and returns the exit code.
   */
  static int report(
      Throwable failure, String command, List<String> args, boolean verbose, PrintWriter err) {
    Throwable e = unwrap(failure);
    int code;
    String line;
    if (e instanceof CommandLine.ParameterException bad) {
      code = ExitCode.USAGE;
      // picocli's own messages may start with "Error: ": the line says so already
      line =
          oneLine(bad.getMessage())
                  .replaceFirst("^Error: ", "")
                  .replace("option option '", "option '") // picocli's wording of a bad map entry
              + " (see '"
              + command
              + " --help')";
    } else if (e instanceof TesseraException t && t.kind() != TesseraException.Kind.INTERNAL) {
      code = ExitCode.of(t.kind());
      line = oneLine(t.getMessage());
    } else if (e instanceof ChecksumException changed) {
      code = ExitCode.DATA;
      line = oneLine(changed.getMessage());
    } else if (e instanceof NoSuchFileException missing) {
      code = ExitCode.NO_INPUT;
      line = "no such file or folder: " + missing.getFile();
    } else if (e instanceof IOException io) {
      code = ExitCode.IO;
      line = ioLine(io);
    } else {
      code = ExitCode.INTERNAL;
      line =
          "internal error ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()))
              + "); "
              + (verbose ? "its trace follows" : logged(e, command, args))
              + ". Please report it.";
    }
    err.println(command + ": " + line);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof CommandLine.ExecutionException
            || t instanceof UncheckedIOException
            || t instanceof CompletionException
            || t instanceof ExecutionException)) {
      t = t.getCause();
    }
    return t;
  }

  private static String ioLine(IOException io) {
    if (io instanceof FileSystemException fs && fs.getFile() != null) {
      String reason = fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
      return "cannot use " + fs.getFile() + " (" + reason + ")";
    }
    return "input/output error (" + oneLine(String.valueOf(io.getMessage())) + ")";
  }

  /** Appends the trace to the log and says where it is (or why it could not be written). */
  private static String logged(Throwable e, String command, List<String> args) {
    try {
      Path log =
          ErrorLog.append(
              e, "tessera " + AppInfo.version() + ": " + command + " " + String.join(" ", args));
      return "the details are in " + PathText.display(log);
    } catch (IOException | RuntimeException notWritten) {
      return "its details could not be written to "
          + ErrorLog.file()
          + " ("
          + oneLine(String.valueOf(notWritten.getMessage()))
          + "): run again with --verbose to see them";
    }
  }

  /** Where internal errors' traces go. */
  static Path log() {
    return ErrorLog.file();
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}

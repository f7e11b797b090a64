package app.tessera.desktop.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the window asks of the operating system for a file: open it in its default application, or
 * show it in the file manager. Both only start another program (the file is never changed) and run
 * off the FX thread. Tests use a recording implementation.
 */
public interface SystemActions {
  void open(Path file) throws IOException;

  void reveal(Path file) throws IOException;

  /** The platform's own commands: xdg-open, open (-R), explorer (/select,). */
  static SystemActions platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return new SystemActions() {
      @Override
      public void open(Path file) throws IOException {
        start(
            os.contains("win")
                ? List.of("explorer", file.toString())
                : os.contains("mac")
                    ? List.of("open", file.toString())
                    : List.of("xdg-open", file.toString()));
      }

      @Override
      public void reveal(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        start(
            os.contains("win")
                ? List.of("explorer", "/select," + file)
                : os.contains("mac")
                    ? List.of("open", "-R", file.toString())
                    : List.of("xdg-open", String.valueOf(folder)));
      }

      private void start(List<String> command) throws IOException {
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
      }
    };
  }
}

package app.tessera.app;

import app.tessera.cli.TesseraCommand;
import app.tessera.desktop.BenchGridCommand;
import app.tessera.desktop.DesktopLauncher;
import picocli.CommandLine;

/**
 * The single entry point: no arguments opens the desktop app, anything else runs the command-line
 * interface. Deliberately not a JavaFX {@code Application}, so JavaFX can stay on the classpath.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      DesktopLauncher.launch(args);
    } else {
      CommandLine cli = TesseraCommand.commandLine();
      // The one command that opens a window; the CLI's own packages know nothing of JavaFX.
      cli.getSubcommands().get("bench").addSubcommand(new BenchGridCommand());
      System.exit(cli.execute(args));
    }
  }
}

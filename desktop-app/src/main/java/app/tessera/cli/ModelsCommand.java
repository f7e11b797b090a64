package app.tessera.cli;

import app.tessera.engine.Cancellation;
import app.tessera.engine.ChecksumException;
import app.tessera.engine.Device;
import app.tessera.engine.api.CodingReport;
import app.tessera.engine.api.Library;
import app.tessera.engine.api.ModelInfo;
import app.tessera.engine.api.ModelPacks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera models list|download NAME|use NAME}: optional pretrained models, and the models a
 * library has. Downloading is the only network access Tessera ever makes, and only on this explicit
 * command.
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description =
        "List or download optional pretrained models (e.g. CLIP); list a library's models and"
            + " choose the one searches use.",
    subcommands = {
      ModelsCommand.ListModels.class,
      ModelsCommand.Download.class,
      ModelsCommand.Use.class
    })
public final class ModelsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tessera models list [--library L]}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the downloadable models, and the library's models (* = active).")
  static final class ListModels implements Runnable {
    @Spec CommandSpec spec;

    @Mixin LibraryOption library;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (ModelPacks.Pack pack : ModelPacks.shipped().list()) {
        out.printf(
            "%-14s %s (%s) - %s%n", pack.name(), pack.description(), pack.licence(), pack.state());
      }
      if (Files.isRegularFile(library.library())) {
        try (Library lib = Library.openReadOnly(library.library())) {
          List<ModelInfo> models = lib.models();
          out.println();
          out.println(
              models.isEmpty()
                  ? "Library " + library.library() + " has no models yet."
                  : "Models of library " + library.library() + ":");
          for (ModelInfo m : models) {
            out.printf(
                Locale.ROOT,
                "%s %-40s %-12s %4d bits  %s%n",
                m.active() ? "*" : " ",
                m.name(),
                m.method(),
                m.bits(),
                m.imageEncoder());
          }
        }
      }
      out.flush();
    }
  }

  /** {@code tessera models use NAME [--library L]}. */
  @Command(
      name = "use",
      mixinStandardHelpOptions = true,
      description = {
        "Make a registered model the library's active one. Items it has not coded yet are coded"
            + " first; until all are, searches keep using the current model. An interrupted run"
            + " resumes where it stopped."
      })
  static final class Use implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The model's name (see `tessera models list`).")
    String name;

    @Mixin LibraryOption library;

    @Option(
        names = "--device",
        defaultValue = "auto",
        description = "auto (GPU when usable), cpu or gpu. Default: ${DEFAULT-VALUE}.")
    Device device;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (Library lib = Library.open(library.existing())) {
        CodingReport coding =
            lib.use(name, device, new Cancellation(), line -> EvalCommand.progress(err, line));
        if (coding.remaining() > 0) {
          out.printf(
              Locale.ROOT,
              "%d items coded, %d left; the active model is unchanged. Run again to resume.%n",
              coding.coded(),
              coding.remaining());
          out.flush();
          return 1;
        }
        out.printf(
            Locale.ROOT,
            "%s is now the active model of %s (%d items coded now).%n",
            name,
            library.library(),
            coding.coded());
        out.flush();
        return 0;
      } catch (IOException | IllegalArgumentException e) {
        err.println("tessera models use: " + e.getMessage());
        err.flush();
        return 1;
      }
    }
  }

  /** {@code tessera models download NAME}. */
  @Command(
      name = "download",
      mixinStandardHelpOptions = true,
      description = "Download a model into the app's models folder, checked by SHA-256.")
  static final class Download implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Model name, e.g. clip-vit-b32.")
    String name;

    @Option(
        names = "--from",
        paramLabel = "DIR",
        description =
            "Install from a folder holding the model's files (copied from a machine that"
                + " downloaded them) instead of the network; the same SHA-256 checks apply.")
    Path from;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        ModelPacks.Pack pack = ModelPacks.shipped().find(name);
        out.println("Model " + pack.name() + ": " + pack.description());
        out.println("Licence: " + pack.licence());
        Consumer<String> progress =
            line -> {
              out.println(line);
              out.flush();
            };
        Path dir =
            from == null
                ? ModelPacks.shipped().download(name, progress)
                : ModelPacks.shipped().installFrom(name, from, progress);
        out.println("Installed in " + dir);
        out.flush();
        return 0;
      } catch (IllegalArgumentException e) { // an unknown model
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      } catch (IOException e) { // a failed download, a file that does not match its pin
        err.println("tessera models download: " + e.getMessage());
        err.flush();
        return e instanceof ChecksumException ? ExitCode.DATA : ExitCode.IO;
      }
    }
  }
}

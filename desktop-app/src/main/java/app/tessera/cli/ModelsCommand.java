package app.tessera.cli;

import app.tessera.engine.api.ModelPacks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera models list|download NAME}: optional pretrained models. Downloading is the only
 * network access Tessera ever makes, and only on this explicit command.
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List or download optional pretrained models (e.g. CLIP).",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Download.class})
public final class ModelsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tessera models list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List known models.")
  static final class ListModels implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (ModelPacks.Pack pack : ModelPacks.shipped().list()) {
        out.printf(
            "%-14s %s (%s) - %s%n", pack.name(), pack.description(), pack.licence(), pack.state());
      }
      out.flush();
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
      } catch (IOException | IllegalArgumentException e) {
        err.println("tessera models download: " + e.getMessage());
        err.flush();
        return 1;
      }
    }
  }
}

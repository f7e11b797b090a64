package app.tessera.cli;

import app.tessera.engine.AppDirs;
import app.tessera.engine.encode.ClipModel;
import app.tessera.engine.encode.ModelDownloader;
import app.tessera.engine.encode.ModelPack;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
  /** Every downloadable pack this build knows. */
  static final List<ModelPack> PACKS = List.of(ClipModel.VIT_B32);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static ModelPack find(String name) {
    return PACKS.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown model '"
                        + name
                        + "'. Known: "
                        + String.join(", ", PACKS.stream().map(ModelPack::name).toList())));
  }

  /** {@code tessera models list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List known models.")
  static final class ListModels implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      for (ModelPack pack : PACKS) {
        out.printf(
            "%-14s %s (%s) - %s%n", pack.name(), pack.description(), pack.licence(), state(pack));
      }
      out.flush();
    }
  }

  /** Whether {@code pack}'s files are in place, by name and size (loading re-checks SHA-256). */
  static String state(ModelPack pack) {
    int present = ModelDownloader.filesInPlace(pack, AppDirs.modelsDir());
    int all = pack.files().size();
    if (present == all) {
      return "installed in " + ModelDownloader.packDir(AppDirs.modelsDir(), pack);
    }
    return present == 0
        ? "not installed"
        : "incomplete (" + present + " of " + all + " files; download again)";
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
        ModelPack pack = find(name);
        out.println("Model " + pack.name() + ": " + pack.description());
        out.println("Licence: " + pack.licence());
        Consumer<String> progress =
            line -> {
              out.println(line);
              out.flush();
            };
        Path dir =
            from == null
                ? ModelDownloader.download(pack, AppDirs.modelsDir(), progress)
                : ModelDownloader.installFrom(pack, AppDirs.modelsDir(), from, progress);
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

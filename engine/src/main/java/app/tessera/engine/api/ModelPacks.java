package app.tessera.engine.api;

import app.tessera.engine.AppDirs;
import app.tessera.engine.download.ModelDownloader;
import app.tessera.engine.download.ModelPack;
import app.tessera.engine.encode.ClipModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Optional pretrained models (CLIP ViT-B/32): listed, and installed only when asked, from the
 * network or from a folder of copied files; every file must match its pinned SHA-256 and size.
 * Downloading is the only network access Tessera ever makes.
 */
public final class ModelPacks {
  private ModelPacks() {}

  /** Every downloadable pack this build knows. */
  private static final List<ModelPack> PACKS = List.of(ClipModel.VIT_B32);

  /**
   * A pack as front ends list it.
   *
   * @param state "installed in DIR", "not installed" or "incomplete (...)"
   */
  public record Pack(String name, String description, String licence, String state) {}

  public static List<Pack> list() {
    return PACKS.stream().map(ModelPacks::pack).toList();
  }

  /** The pack called {@code name}; a clear error naming the known ones otherwise. */
  public static Pack find(String name) {
    return pack(byName(name));
  }

  /** Downloads pack {@code name} into the models folder; returns where it is installed. */
  public static Path download(String name, Consumer<String> progress) throws IOException {
    return ModelDownloader.download(byName(name), AppDirs.modelsDir(), progress);
  }

  /** Installs pack {@code name} from a folder holding its files (the same checks apply). */
  public static Path installFrom(String name, Path from, Consumer<String> progress)
      throws IOException {
    return ModelDownloader.installFrom(byName(name), AppDirs.modelsDir(), from, progress);
  }

  private static ModelPack byName(String name) {
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

  /** Whether the pack's files are in place, by name and size (loading re-checks SHA-256). */
  private static Pack pack(ModelPack pack) {
    int present = ModelDownloader.filesInPlace(pack, AppDirs.modelsDir());
    int all = pack.files().size();
    String state;
    if (present == all) {
      state = "installed in " + ModelDownloader.packDir(AppDirs.modelsDir(), pack);
    } else {
      state =
          present == 0
              ? "not installed"
              : "incomplete (" + present + " of " + all + " files; download again)";
    }
    return new Pack(pack.name(), pack.description(), pack.licence(), state);
  }
}

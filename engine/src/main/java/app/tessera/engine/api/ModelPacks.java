package app.tessera.engine.api;

import app.tessera.engine.AppDirs;
import app.tessera.engine.Cancellation;
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
  /** Every downloadable pack this build knows. */
  private static final List<ModelPack> PACKS = List.of(ClipModel.VIT_B32);

  private final List<ModelPack> packs;
  private final Path modelsDir;

  private ModelPacks(List<ModelPack> packs, Path modelsDir) {
    this.packs = List.copyOf(packs);
    this.modelsDir = modelsDir;
  }

  /** The packs this build knows, installed into the data folder's models folder. */
  public static ModelPacks shipped() {
    return new ModelPacks(PACKS, AppDirs.modelsDir());
  }

  /** Other packs (an offline mirror's, a test fixture's), installed into {@code modelsDir}. */
  public static ModelPacks of(List<ModelPack> packs, Path modelsDir) {
    return new ModelPacks(packs, modelsDir);
  }

  /**
   * A pack as front ends list it.
   *
   * @param state "installed in DIR", "not installed" or "incomplete (...)"
   * @param bytes the size of all its files
   * @param installed whether every file is in place (loading re-checks SHA-256)
   * @param files its files with their pinned sizes and SHA-256
   */
  public record Pack(
      String name,
      String description,
      String licence,
      String state,
      long bytes,
      boolean installed,
      List<PackFile> files) {
    public Pack {
      files = List.copyOf(files);
    }
  }

  /** One file of a pack and its pin. */
  public record PackFile(String name, long bytes, String sha256) {}

  /** The bytes of one file that arrived so far ({@code total} -1 when unknown). */
  @FunctionalInterface
  public interface DownloadProgress {
    void arrived(String file, long done, long total);
  }

  public List<Pack> list() {
    return packs.stream().map(this::pack).toList();
  }

  /** The pack called {@code name}; a clear error naming the known ones otherwise. */
  public Pack find(String name) {
    return pack(byName(name));
  }

  /** Downloads pack {@code name} into the models folder; returns where it is installed. */
  public Path download(String name, Consumer<String> progress) throws IOException {
    return ModelDownloader.download(byName(name), modelsDir, progress);
  }

  /**
   * Downloads pack {@code name}, reporting the bytes of each file as they arrive. Cancelling stops
   * with a {@link java.util.concurrent.CancellationException}; what arrived is kept and the next
   * download resumes there.
   */
  public Path download(
      String name, Consumer<String> progress, DownloadProgress bytes, Cancellation cancel)
      throws IOException {
    return ModelDownloader.download(byName(name), modelsDir, progress, bytes::arrived, cancel);
  }

  /** Installs pack {@code name} from a folder holding its files (the same checks apply). */
  public Path installFrom(String name, Path from, Consumer<String> progress) throws IOException {
    return ModelDownloader.installFrom(byName(name), modelsDir, from, progress);
  }

  private ModelPack byName(String name) {
    return packs.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown model '"
                        + name
                        + "'. Known: "
                        + String.join(", ", packs.stream().map(ModelPack::name).toList())));
  }

  /** Whether the pack's files are in place, by name and size (loading re-checks SHA-256). */
  private Pack pack(ModelPack pack) {
    int present = ModelDownloader.filesInPlace(pack, modelsDir);
    int all = pack.files().size();
    String state;
    if (present == all) {
      state = "installed in " + ModelDownloader.packDir(modelsDir, pack);
    } else {
      state =
          present == 0
              ? "not installed"
              : "incomplete (" + present + " of " + all + " files; download again)";
    }
    List<PackFile> files =
        pack.files().stream().map(f -> new PackFile(f.name(), f.bytes(), f.sha256())).toList();
    long bytes = files.stream().mapToLong(PackFile::bytes).sum();
    return new Pack(
        pack.name(), pack.description(), pack.licence(), state, bytes, present == all, files);
  }
}

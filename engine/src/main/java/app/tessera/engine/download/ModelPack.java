package app.tessera.engine.download;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A downloadable model: a name and the files it is made of, each pinned to a URL and a SHA-256.
 * {@link ModelDownloader} fetches only these URLs and refuses any byte that does not hash to the
 * pinned value; loaders check the hashes again before they open a file.
 *
 * @param name the name used on the command line ({@code tessera models download NAME})
 * @param description one line for {@code tessera models list}
 * @param licence the licence of the weights, shown before downloading
 * @param files the files, each stored as {@code <models dir>/<name>/<file name>}
 */
public record ModelPack(String name, String description, String licence, List<File> files) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public ModelPack {
    Objects.requireNonNull(name, "name");
    files = List.copyOf(files);
  }

  /**
   * One pinned file.
   *
   * @param name its file name inside the pack's folder
   * @param url where it is fetched from (https, or file: for tests and offline mirrors)
   * @param sha256 its lower-case hex SHA-256, or {@code null} when no verified value is known yet
   *     (such a file is never downloaded nor loaded)
   * @param bytes its expected size, for progress (0 when unknown)
   */
  public record File(String name, String url, String sha256, long bytes) {
    public File {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(url, "url");
      if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new IllegalArgumentException("file name must be a plain name: " + name);
      }
      if (sha256 != null && !SHA256.matcher(sha256).matches()) {
        throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
      }
    }

    public boolean pinned() {
      return sha256 != null;
    }
  }

  /** The file named {@code fileName}. */
  public File file(String fileName) {
    return files.stream()
        .filter(f -> f.name().equals(fileName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name + " has no file " + fileName));
  }
}

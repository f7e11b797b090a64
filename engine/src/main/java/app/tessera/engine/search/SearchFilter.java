package app.tessera.engine.search;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Restricts results to items under a root folder, whose path matches a glob, dated within a range,
 * and carrying a label. Null parts do not restrict. Filters are applied inside the index scan, so
 * the top-k of the filtered items is exact.
 *
 * @param root only items under this folder
 * @param pathGlob a glob on the item's path, e.g. {@code "**}{@code /holidays/**"} or {@code
 *     "*.png"} (matched against the whole path, then the file name)
 * @param from earliest date, inclusive
 * @param to latest date, exclusive
 * @param label a label the item must carry (case-insensitive)
 */
public record SearchFilter(Path root, String pathGlob, Instant from, Instant to, String label) {
  /** No restriction. */
  public static final SearchFilter NONE = new SearchFilter(null, null, null, null, null);

  public SearchFilter {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("empty date range: " + from + " to " + to);
    }
  }

  public boolean isEmpty() {
    return root == null && pathGlob == null && from == null && to == null && label == null;
  }

  /** Whether the item passes every part of the filter (see {@link #compile()} for many items). */
  public boolean matches(ItemCatalog.Item item) {
    return compile().test(item);
  }

  /** This filter as a predicate, with its glob compiled once. */
  public Predicate<ItemCatalog.Item> compile() {
    Path rootPath = root == null ? null : root.toAbsolutePath().normalize();
    PathMatcher matcher =
        pathGlob == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + pathGlob);
    return item -> {
      if (rootPath != null && !item.path().toAbsolutePath().normalize().startsWith(rootPath)) {
        return false;
      }
      if (matcher != null) {
        Path fileName = item.path().getFileName();
        if (!matcher.matches(item.path()) && (fileName == null || !matcher.matches(fileName))) {
          return false;
        }
      }
      if (from != null || to != null) {
        Instant date = item.date();
        if (date == null
            || (from != null && date.isBefore(from))
            || (to != null && !date.isBefore(to))) {
          return false;
        }
      }
      return label == null || item.labels().stream().anyMatch(l -> l.equalsIgnoreCase(label));
    };
  }
}

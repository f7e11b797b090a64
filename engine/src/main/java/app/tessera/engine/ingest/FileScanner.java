package app.tessera.engine.ingest;

import app.tessera.engine.IndexReport;
import app.tessera.engine.store.FileFacts;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Walks a root folder: finds image files and their sidecars, with size and mtime, without reading
 * any file. Symbolic links are followed but a link back to an ancestor (a loop) is not; unreadable
 * folders are reported and their contents left as they were in the catalogue.
 */
final class FileScanner {
  static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "dib", "webp", "tif", "tiff");
  static final Set<String> SIDECAR_EXTENSIONS = Set.of("txt", "caption", "xmp");

  /** An image file found by the scan. */
  record ScannedFile(
      long rootId,
      String relPath,
      Path path,
      long size,
      long mtimeNs,
      List<Path> sidecars,
      long sidecarStamp,
      String folder) {
    /** What the catalogue keeps of it. */
    FileFacts facts() {
      return new FileFacts(rootId, relPath, size, mtimeNs, sidecarStamp);
    }
  }

  /** What a scan found. */
  record Result(
      List<ScannedFile> files, List<IndexReport.Failure> failures, List<String> unreadable) {}

  private FileScanner() {}

  static boolean isImage(String name) {
    String ext = ext(name);
    return !name.startsWith("._") // macOS resource forks, not images
        && (IMAGE_EXTENSIONS.contains(ext)
            || ImageDecoder.RAW_EXTENSIONS.contains(ext)
            || ImageDecoder.HEIF_EXTENSIONS.contains(ext));
  }

  /**
   * Scans {@code start} (the root or a folder inside it), skipping {@code otherRoots} (they are
   * indexed on their own). Relative paths are relative to {@code root}.
   */
  static Result scan(
      long rootId, Path root, Path start, Set<Path> otherRoots, BooleanSupplier cancelled)
      throws IOException {
    List<ScannedFile> files = new ArrayList<>();
    List<IndexReport.Failure> failures = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    Map<Path, List<Entry>> byFolder = new HashMap<>();
    Files.walkFileTree(
        start,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (cancelled.getAsBoolean()) {
              return FileVisitResult.TERMINATE;
            }
            if (!dir.equals(start) && otherRoots.contains(dir)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            byFolder.put(dir, new ArrayList<>());
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              String name = file.getFileName().toString();
              List<Entry> entries = byFolder.get(file.getParent());
              if (entries != null && (isImage(name) || SIDECAR_EXTENSIONS.contains(ext(name)))) {
                entries.add(
                    new Entry(
                        file,
                        name,
                        attrs.size(),
                        attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            String rel = relative(root, file);
            if (e instanceof FileSystemLoopException) {
              failures.add(
                  new IndexReport.Failure(file.toString(), "symbolic link loop: not followed"));
            } else if (e instanceof AccessDeniedException) {
              failures.add(new IndexReport.Failure(file.toString(), "permission denied"));
              unreadable.add(rel);
            } else if (e instanceof NoSuchFileException) {
              // a dangling symbolic link, or a file deleted during the scan: nothing to index
              if (Files.isSymbolicLink(file)) {
                failures.add(
                    new IndexReport.Failure(
                        file.toString(), "dangling symbolic link: not followed"));
              }
            } else {
              failures.add(new IndexReport.Failure(file.toString(), "unreadable: " + e));
              unreadable.add(rel);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            List<Entry> entries = byFolder.remove(dir);
            if (e != null) {
              failures.add(
                  new IndexReport.Failure(dir.toString(), "folder only partly readable: " + e));
              unreadable.add(relative(root, dir));
            }
            if (entries != null) {
              collect(rootId, root, dir, entries, files);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return new Result(files, failures, unreadable);
  }

  private record Entry(Path path, String name, long size, long mtimeNs) {}

  /** Pairs the images of one folder with their sidecars. */
  private static void collect(
      long rootId, Path root, Path dir, List<Entry> entries, List<ScannedFile> out) {
    Map<String, Entry> sidecars = new HashMap<>();
    for (Entry e : entries) {
      if (SIDECAR_EXTENSIONS.contains(ext(e.name))) {
        sidecars.put(e.name.toLowerCase(Locale.ROOT), e);
      }
    }
    String folder = dir.equals(root) ? null : dir.getFileName().toString();
    for (Entry e : entries) {
      if (!isImage(e.name)) {
        continue;
      }
      List<Path> found = new ArrayList<>();
      long stamp = 0;
      if (!sidecars.isEmpty()) {
        for (String sidecarName : ImageFileReader.sidecarNames(e.name)) {
          Entry s = sidecars.get(sidecarName);
          if (s != null) {
            found.add(s.path);
            stamp = ImageFileReader.sidecarStamp(stamp, s.name, s.size, s.mtimeNs);
          }
        }
      }
      out.add(
          new ScannedFile(
              rootId, relative(root, e.path), e.path, e.size, e.mtimeNs, found, stamp, folder));
    }
  }

  /** {@code path} relative to {@code root}, '/'-separated. */
  static String relative(Path root, Path path) {
    Path rel = root.relativize(path);
    StringBuilder s = new StringBuilder();
    for (Path part : rel) {
      if (!s.isEmpty()) {
        s.append('/');
      }
      s.append(part);
    }
    return s.toString();
  }

  static String ext(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}

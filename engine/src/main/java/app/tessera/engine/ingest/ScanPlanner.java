package app.tessera.engine.ingest;

import app.tessera.engine.AppDirs;
import app.tessera.engine.IndexReport;
import app.tessera.engine.PathText;
import app.tessera.engine.RootState;
import app.tessera.engine.ingest.FileScanner.ScannedFile;
import app.tessera.engine.store.Catalog;
import app.tessera.engine.store.FileRow;
import app.tessera.engine.store.NewLabel;
import app.tessera.engine.store.Presence;
import app.tessera.engine.store.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Stage 1 of {@link Indexer}: finds the roots to scan, walks them (no file is read) and compares
 * what it finds with the catalogue, so that only new and changed files are read. On the way it
 * marks absent roots offline, restores files that came back unchanged, and adds folder labels to
 * unchanged files when asked.
 */
final class ScanPlanner {
  /** What a scan found to do: files to read, files that vanished, roots scanned. */
  record Plan(List<Task> tasks, Map<Long, FileRow> vanished, List<Root> scannedRoots) {}

  private final Catalog catalog;
  private final IngestOptions options;
  private final BooleanSupplier cancelled;
  private final Tally tally;

  ScanPlanner(Catalog catalog, IngestOptions options, BooleanSupplier cancelled, Tally tally) {
    this.catalog = catalog;
    this.options = options;
    this.cancelled = cancelled;
    this.tally = tally;
  }

  /**
   * The plan for {@code folders} (registering new roots; a folder inside a registered root re-scans
   * that part of it); with no folders, for every registered root.
   */
  Plan plan(List<Path> folders) throws IOException {
    return plan(scopes(folders));
  }

  /** The root (registered now if new) and the folders to scan in it, for each folder given. */
  private Map<Root, List<Path>> scopes(List<Path> folders) {
    List<Root> roots = new ArrayList<>(catalog.read(tx -> tx.roots().list()));
    Map<Root, List<Path>> scopes = new LinkedHashMap<>();
    if (folders.isEmpty()) {
      for (Root r : roots) {
        scopes.put(r, new ArrayList<>(List.of(r.path())));
      }
    }
    for (Path folder : folders) {
      Path abs = folder.toAbsolutePath().normalize();
      Root owner = null;
      for (Root r : roots) {
        if (abs.startsWith(r.path())
            && (owner == null || r.path().getNameCount() > owner.path().getNameCount())) {
          owner = r;
        }
      }
      if (owner == null) {
        String refused = refusal(abs);
        if (refused != null) {
          tally.fail(abs.toString(), refused);
          continue;
        }
        if (!Files.isDirectory(abs)) {
          tally.fail(PathText.display(abs), Files.exists(abs) ? "not a folder" : "no such folder");
          continue;
        }
        owner = catalog.write(tx -> tx.roots().add(abs));
        roots.add(owner);
      }
      scopes.computeIfAbsent(owner, r -> new ArrayList<>()).add(abs);
    }
    return scopes;
  }

  private Plan plan(Map<Root, List<Path>> scopes) throws IOException {
    Set<Path> allRoots = new HashSet<>();
    for (Root r : catalog.read(tx -> tx.roots().list())) {
      allRoots.add(r.path());
    }
    allRoots.add(dataDir()); // a root above Tessera's data folder skips it like a nested root
    List<Task> tasks = new ArrayList<>();
    List<FileRow> restored = new ArrayList<>();
    Map<FileRow, String> folderLabels = new HashMap<>(); // file -> its folder's name
    Map<Long, FileRow> vanished = new HashMap<>();
    List<Root> scannedRoots = new ArrayList<>();
    for (Map.Entry<Root, List<Path>> entry : scopes.entrySet()) {
      Root root = entry.getKey();
      Map<String, FileRow> known = catalog.read(tx -> tx.files().ofRoot(root.id()));
      if (isAbsent(root.path(), known)) {
        tally.offline += catalog.write(tx -> tx.roots().markOffline(root.id()));
        continue;
      }
      for (Path scope : entry.getValue()) {
        FileScanner.Result scan;
        String scopeRel = FileScanner.relative(root.path(), scope);
        try {
          scan =
              Files.exists(scope)
                  ? FileScanner.scan(root.id(), root.path(), scope, allRoots, cancelled)
                  : new FileScanner.Result(List.of(), List.of(), List.of());
        } catch (IOException e) {
          tally.fail(PathText.display(scope), "cannot scan: " + e);
          continue;
        }
        for (IndexReport.Failure f : scan.failures()) {
          tally.fail(f.path(), f.reason());
        }
        Set<String> seen = new HashSet<>();
        for (ScannedFile file : scan.files()) {
          seen.add(file.relPath());
          FileRow row = known.get(file.relPath());
          if (row == null) {
            tasks.add(new Task(file, null, Task.Kind.NEW));
          } else if (row.size() != file.size() || row.mtimeNs() != file.mtimeNs()) {
            tasks.add(new Task(file, row, Task.Kind.CHANGED));
          } else if (row.itemId() != null && row.sidecarStamp() != file.sidecarStamp()) {
            tasks.add(new Task(file, row, Task.Kind.SIDECARS));
          } else {
            tally.unchanged++;
            if (row.presence() != Presence.PRESENT) {
              restored.add(row);
            }
            if (options.labelsFromFolders() && row.itemId() != null && file.folder() != null) {
              folderLabels.put(row, file.folder());
            }
          }
        }
        if (cancelled.getAsBoolean()) {
          break;
        }
        for (FileRow row : known.values()) {
          if (!seen.contains(row.relPath())
              && row.presence() != Presence.MISSING
              && inScope(row.relPath(), scopeRel)
              && scan.unreadable().stream().noneMatch(u -> inScope(row.relPath(), u))) {
            vanished.put(row.id(), row);
          }
        }
      }
      scannedRoots.add(root);
    }
    catalog.write(
        tx -> {
          for (FileRow row : restored) {
            tx.files().setPresence(row.id(), Presence.PRESENT);
          }
          for (Map.Entry<FileRow, String> label : folderLabels.entrySet()) {
            FileRow row = label.getKey();
            tx.labels().add(row.itemId(), row.id(), new NewLabel("folder", label.getValue()));
          }
          return null;
        });
    return new Plan(tasks, vanished, scannedRoots);
  }

  /** Marks what vanished (and did not turn up elsewhere) missing, and the scanned roots online. */
  void finish(Plan plan) {
    catalog.write(
        tx -> {
          for (FileRow row : plan.vanished().values()) {
            tx.files().setPresence(row.id(), Presence.MISSING);
          }
          for (Root root : plan.scannedRoots()) {
            tx.roots().setState(root.id(), RootState.ONLINE, true);
          }
          return null;
        });
    tally.missing += plan.vanished().size();
  }

  /**
   * Why {@code folder} cannot become a root, or null when it can: Tessera's own data folder (its
   * libraries, caches and models) and any folder inside it are not photo folders, except the demo
   * collection Tessera unpacks there for a fresh library.
   */
  static String refusal(Path folder) {
    Path data = dataDir();
    if (folder.startsWith(data) && !AppDirs.isDemoCollection(folder)) {
      return "Tessera's own data folder ("
          + data
          + ") holds its libraries and models, not photos: it cannot be a library folder";
    }
    return null;
  }

  private static Path dataDir() {
    return AppDirs.dataDir().toAbsolutePath().normalize();
  }

  /**
   * A root is absent when its folder is gone, or when it is an empty folder although the catalogue
   * holds files for it (an unmounted drive often leaves its empty mount point behind).
   */
  private static boolean isAbsent(Path root, Map<String, FileRow> known) {
    if (!Files.isDirectory(root)) {
      return true;
    }
    if (known.values().stream().noneMatch(r -> r.presence() == Presence.PRESENT)) {
      return false;
    }
    try (var entries = Files.list(root)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false; // unreadable: reported by the scan
    }
  }

  private static boolean inScope(String relPath, String scope) {
    return scope.isEmpty() || relPath.equals(scope) || relPath.startsWith(scope + "/");
  }
}

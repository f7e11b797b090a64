package app.tessera.desktop.library;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.DesktopSettings;
import app.tessera.desktop.shell.Notifications;
import app.tessera.engine.AppDirs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Which library the window works on: the current one, the recently used ones (remembered in the
 * window's settings, the last one opened again at the next start), opening another and creating a
 * new one.
 */
public final class LibrariesViewModel {
  static final String LAST = "library.last";
  static final String RECENT = "library.recent";
  static final String FOLDER = "library.folder";
  private static final int REMEMBERED = 8;

  /** Switches the window to the library in a file (created if new); a status line. On a worker. */
  @FunctionalInterface
  public interface Switcher {
    String switchTo(Path file) throws Exception;
  }

  private final DesktopSettings settings;
  private final BackgroundTasks tasks;
  private final Switcher switcher;
  private final Notifications notifications;
  private final Runnable afterSwitch;
  private final ObservableList<Path> recent = FXCollections.observableArrayList();
  private final ObjectProperty<Path> current = new SimpleObjectProperty<>();
  private final BooleanProperty switching = new SimpleBooleanProperty();
  private final ObjectProperty<Path> folder = new SimpleObjectProperty<>();

  /**
   * @param current the library open now
   * @param afterSwitch on the UI thread once another library is open (pages reload)
   */
  public LibrariesViewModel(
      Path current,
      DesktopSettings settings,
      BackgroundTasks tasks,
      Switcher switcher,
      Notifications notifications,
      Runnable afterSwitch) {
    this.settings = settings;
    this.tasks = tasks;
    this.switcher = switcher;
    this.notifications = notifications;
    this.afterSwitch = afterSwitch;
    this.current.set(current);
    recent.setAll(remembered(settings));
    remember(current);
    folder.set(Path.of(settings.get(FOLDER, AppDirs.dataDir().toString())));
    folder.addListener((obs, old, now) -> settings.put(FOLDER, now.toString()));
  }

  /** The library to open at start: the last one used if it still exists, else {@code fallback}. */
  public static Path lastUsed(DesktopSettings settings, Path fallback) {
    return settings.get(LAST).map(Path::of).filter(Files::isRegularFile).orElse(fallback);
  }

  private static List<Path> remembered(DesktopSettings settings) {
    String joined = settings.get(RECENT, "");
    return joined.isEmpty()
        ? List.of()
        : Arrays.stream(joined.split(File.pathSeparator)).map(Path::of).toList();
  }

  /** Opens the library in {@code file}; nothing happens when it is the current one. */
  public CompletableFuture<Void> open(Path file) {
    Path target = file.toAbsolutePath().normalize();
    if (target.equals(current.get()) || switching.get()) {
      return CompletableFuture.completedFuture(null);
    }
    switching.set(true);
    return tasks.run(
        () -> switcher.switchTo(target),
        line -> {
          switching.set(false);
          current.set(target);
          remember(target);
          afterSwitch.run();
          notifications.success("Library opened", line);
        },
        failure -> {
          switching.set(false);
          notifications.error("Could not open " + target.getFileName(), failure);
        });
  }

  /**
   * Creates a library in {@code file} (".sqlite" added when it has no extension) and opens it; an
   * existing file is opened as it is, never overwritten.
   */
  public CompletableFuture<Void> create(Path file) {
    String name = file.getFileName().toString();
    return open(name.contains(".") ? file : file.resolveSibling(name + ".sqlite"));
  }

  private void remember(Path file) {
    if (file == null) {
      return;
    }
    List<Path> list = new ArrayList<>(recent);
    list.remove(file);
    list.addFirst(file);
    while (list.size() > REMEMBERED) {
      list.removeLast();
    }
    recent.setAll(list);
    settings.put(LAST, file.toString());
    settings.put(
        RECENT, String.join(File.pathSeparator, list.stream().map(Path::toString).toList()));
  }

  public ObservableList<Path> recent() {
    return recent;
  }

  public ObjectProperty<Path> currentProperty() {
    return current;
  }

  /** Where new libraries go unless the user picks another folder (the Settings page's choice). */
  public ObjectProperty<Path> folderProperty() {
    return folder;
  }

  public BooleanProperty switchingProperty() {
    return switching;
  }
}

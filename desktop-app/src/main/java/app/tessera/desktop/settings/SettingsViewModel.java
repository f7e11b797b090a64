package app.tessera.desktop.settings;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.DesktopSettings;
import app.tessera.desktop.shell.Errors;
import app.tessera.desktop.shell.Notifications;
import app.tessera.engine.Device;
import app.tessera.engine.api.Gpu;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The Settings page's choices, remembered in the window's settings: where networks run (auto, CPU
 * or GPU, with what this machine has and why), the threads indexing reads with, the size of the
 * result thumbnails. The theme and the library location have their own owners ({@code Theme},
 * {@code LibrariesViewModel}); the page shows them too.
 */
public final class SettingsViewModel {
  static final String DEVICE = "device";
  static final String THREADS = "index.threads";
  static final String THUMBNAIL = "thumbnail.size";

  /** Thumbnail sizes offered, in pixels. */
  public static final int SMALLEST = 96;

  public static final int LARGEST = 320;

  /** Loads the model again on the device chosen; a status line. Runs on a worker. */
  @FunctionalInterface
  public interface DeviceSwitch {
    String use(Device device) throws Exception;
  }

  private final DesktopSettings settings;
  private final BackgroundTasks tasks;
  private final Notifications notifications;
  private final DeviceSwitch deviceSwitch;
  private final Callable<Gpu.Status> gpu;
  private final ObjectProperty<Device> device = new SimpleObjectProperty<>();
  private final StringProperty runsOn = new SimpleStringProperty("Looking…");
  private final StringProperty why = new SimpleStringProperty("");
  private final BooleanProperty gpuUsable = new SimpleBooleanProperty();
  private final IntegerProperty threads = new SimpleIntegerProperty();
  private final IntegerProperty thumbnailSize = new SimpleIntegerProperty();
  private final int cores = Runtime.getRuntime().availableProcessors();

  /**
   * @param gpu where networks run and why ({@link Gpu#status}; starts the engine, so on a worker)
   */
  public SettingsViewModel(
      DesktopSettings settings,
      BackgroundTasks tasks,
      Notifications notifications,
      DeviceSwitch deviceSwitch,
      Callable<Gpu.Status> gpu) {
    this.settings = settings;
    this.tasks = tasks;
    this.notifications = notifications;
    this.deviceSwitch = deviceSwitch;
    this.gpu = gpu;
    device.set(savedDevice(settings));
    threads.set(Math.clamp(settings.getInt(THREADS, cores), 1, cores));
    thumbnailSize.set(Math.clamp(settings.getInt(THUMBNAIL, 176), SMALLEST, LARGEST));
    threads.addListener((obs, old, now) -> settings.put(THREADS, now.toString()));
    thumbnailSize.addListener((obs, old, now) -> settings.put(THUMBNAIL, now.toString()));
  }

  /** The device remembered in {@code settings} (auto when none or unreadable). */
  public static Device savedDevice(DesktopSettings settings) {
    try {
      return Device.valueOf(settings.get(DEVICE, "AUTO").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Device.AUTO;
    }
  }

  /** Asks where networks run now and why. */
  public CompletableFuture<Void> refresh() {
    return tasks.run(
        gpu,
        status -> {
          runsOn.set(status.device());
          why.set(status.reason());
          gpuUsable.set(status.device().startsWith("GPU"));
        },
        failure -> {
          runsOn.set("CPU");
          why.set(Errors.message(failure));
          gpuUsable.set(false);
        });
  }

  /** Runs networks on {@code next} from now on: the model is loaded again there. */
  public CompletableFuture<Void> useDevice(Device next) {
    if (next == device.get()) {
      return CompletableFuture.completedFuture(null);
    }
    if (next == Device.GPU && !gpuUsable.get()) {
      notifications.warn("No usable GPU", why.get());
      return CompletableFuture.completedFuture(null);
    }
    Device previous = device.get();
    device.set(next);
    settings.put(DEVICE, next.name());
    return tasks.run(
        () -> deviceSwitch.use(next),
        line -> {
          notifications.success("Networks run on " + title(next), line);
          refresh();
        },
        failure -> {
          device.set(previous);
          settings.put(DEVICE, previous.name());
          notifications.error("Could not switch to " + title(next), failure);
        });
  }

  /** How the page names a device. */
  public static String title(Device device) {
    return switch (device) {
      case AUTO -> "Automatic (the GPU when usable)";
      case CPU -> "CPU";
      case GPU -> "GPU";
    };
  }

  public ObjectProperty<Device> deviceProperty() {
    return device;
  }

  /** Where networks run now ("CPU", "GPU · name"). */
  public StringProperty runsOnProperty() {
    return runsOn;
  }

  /** Why they run there, in one line. */
  public StringProperty whyProperty() {
    return why;
  }

  public BooleanProperty gpuUsableProperty() {
    return gpuUsable;
  }

  /** Threads that read and decode images while indexing (1 to the cores). */
  public IntegerProperty threadsProperty() {
    return threads;
  }

  public int cores() {
    return cores;
  }

  /** The width of a result thumbnail on the Search page, in pixels. */
  public IntegerProperty thumbnailSizeProperty() {
    return thumbnailSize;
  }
}

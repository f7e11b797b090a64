package app.tessera.desktop;

import app.tessera.desktop.activity.ActivityLog;
import app.tessera.desktop.activity.ActivityView;
import app.tessera.desktop.library.LibrariesViewModel;
import app.tessera.desktop.library.LibraryView;
import app.tessera.desktop.library.LibraryViewModel;
import app.tessera.desktop.models.DownloadsViewModel;
import app.tessera.desktop.models.EvaluationViewModel;
import app.tessera.desktop.models.ModelsView;
import app.tessera.desktop.models.ModelsViewModel;
import app.tessera.desktop.models.TrainingViewModel;
import app.tessera.desktop.search.SearchView;
import app.tessera.desktop.search.SearchViewModel;
import app.tessera.desktop.settings.SettingsView;
import app.tessera.desktop.settings.SettingsViewModel;
import app.tessera.desktop.shell.DesktopSettings;
import app.tessera.desktop.shell.Errors;
import app.tessera.desktop.shell.Notifications;
import app.tessera.desktop.shell.SystemActions;
import app.tessera.desktop.shell.Theme;
import app.tessera.engine.api.Gpu;
import app.tessera.engine.api.ModelPacks;
import java.io.File;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;

/**
 * Everything inside the window, wired together: the workspace, one view model per page, the pages
 * registered with the shell ({@link MainView#addPage}), the status bar kept up to date, and the
 * notifications. {@link TesseraApp} puts it in a stage; tests build it over a library of their own.
 *
 * <p>To add a page: a constant in {@link Page} (or your own), its View and ViewModel, and one
 * {@code view.addPage(...)} below.
 */
public final class MainWindow {
  private final Workspace workspace;
  private final BackgroundTasks tasks;
  private final Theme theme;
  private final ActivityLog activity = new ActivityLog();
  private final Notifications notifications = Notifications.forFx(activity);
  private final MainView view = new MainView(notifications);
  private final SearchViewModel search;
  private final LibraryViewModel library;
  private final LibrariesViewModel libraries;
  private final ModelsViewModel models;
  private final TrainingViewModel training;
  private final EvaluationViewModel evaluation;
  private final DownloadsViewModel downloads;
  private final SettingsViewModel settingsModel;

  private SearchView searchView;

  public MainWindow(Workspace workspace, BackgroundTasks tasks, Theme theme, SystemActions system) {
    this(workspace, tasks, theme, system, DesktopSettings.inMemory());
  }

  /**
   * @param settings the window's settings (the Settings page's choices, the libraries used lately)
   */
  public MainWindow(
      Workspace workspace,
      BackgroundTasks tasks,
      Theme theme,
      SystemActions system,
      DesktopSettings settings) {
    this.workspace = workspace;
    this.tasks = tasks;
    this.theme = theme;
    search = new SearchViewModel(workspace.search(), tasks);
    settingsModel =
        new SettingsViewModel(
            settings,
            tasks,
            notifications,
            device -> {
              workspace.setDevice(device);
              return workspace.reload(activity);
            },
            Gpu::status);
    workspace.setDevice(settingsModel.deviceProperty().get());
    search.tileSizeProperty().bind(settingsModel.thumbnailSizeProperty());
    library =
        new LibraryViewModel(
            workspace.library()::library,
            tasks,
            workspace::code,
            notifications,
            activity,
            settingsModel.threadsProperty()::get);
    libraries =
        new LibrariesViewModel(
            workspace.library().file(),
            settings,
            tasks,
            file -> workspace.switchTo(file, activity),
            notifications,
            this::libraryChanged);
    models =
        new ModelsViewModel(
            workspace.library()::library,
            tasks,
            (name, control, progress) -> {
              activity.accept("Switching to model " + name + "…");
              return workspace.switchModel(name, control, progress);
            },
            () -> {
              Workspace.Summary now = workspace.summary();
              return now == null ? null : now.model();
            },
            notifications);
    evaluation = new EvaluationViewModel(workspace.library()::library, tasks);
    training =
        new TrainingViewModel(
            tasks,
            workspace::train,
            notifications,
            () -> {
              String file = workspace.library().file().getFileName().toString();
              return file.endsWith(".sqlite") ? file.substring(0, file.length() - 7) : file;
            },
            workspace::device,
            report -> {
              models.refresh();
              if (report.activated()) { // else it is not coded: nothing to evaluate yet
                evaluation.evaluate(report.model());
              }
            });
    downloads = new DownloadsViewModel(ModelPacks.shipped(), tasks, notifications, activity);

    view.addPage(
        Page.SEARCH,
        heading ->
            (searchView = new SearchView(search, heading, tasks, system, notifications)).root());
    view.addPage(Page.LIBRARY, heading -> new LibraryView(library, libraries, heading).root());
    view.addPage(
        Page.MODELS,
        heading -> new ModelsView(models, training, evaluation, downloads, heading).root());
    view.addPage(Page.ACTIVITY, heading -> new ActivityView(activity, heading).root());
    view.addPage(
        Page.SETTINGS,
        heading -> new SettingsView(settingsModel, theme, libraries, heading).root());

    view.addShortcut(
        new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
        () -> {
          view.show(Page.SEARCH);
          searchView.focusQuery();
        });
    view.addShortcut(
        new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN),
        () -> {
          view.show(Page.SEARCH);
          searchView.chooseImage();
        });

    // Whatever changed the library or the model, the status bar says what is searchable now.
    workspace.onChange(summary -> tasks.onUi(() -> show(summary)));
    acceptDroppedFolders();
  }

  /** Folders dropped anywhere on the window (not taken by a page) are added to the library. */
  private void acceptDroppedFolders() {
    view.root()
        .addEventHandler(
            DragEvent.DRAG_OVER,
            e -> {
              if (folders(e.getDragboard()).size() > 0) {
                e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
                e.consume();
              }
            });
    view.root()
        .addEventHandler(
            DragEvent.DRAG_DROPPED,
            e -> {
              List<Path> dropped = folders(e.getDragboard());
              if (!dropped.isEmpty()) {
                view.show(Page.LIBRARY);
                library.index(dropped);
                e.setDropCompleted(true);
                e.consume();
              }
            });
  }

  private static List<Path> folders(Dragboard board) {
    return board.hasFiles()
        ? board.getFiles().stream().filter(File::isDirectory).map(File::toPath).toList()
        : List.of();
  }

  /** Another library is open: every page shows it. */
  private void libraryChanged() {
    library.refresh();
    models.refresh();
    search.refreshChoices();
  }

  /**
   * Opens the library and the model in the background (the window is already up), then says where
   * networks run.
   */
  public CompletableFuture<Void> open() {
    view.status().job("Opening " + workspace.library().file() + "…", -1);
    return tasks.run(
        () ->
            workspace.open(
                line -> {
                  activity.accept(line);
                  tasks.onUi(() -> view.status().job(line, -1));
                }),
        line -> {
          activity.accept(line);
          view.status().say("Ready");
          library.refresh();
          models.refresh();
          downloads.refresh();
          settingsModel.refresh();
          search.refreshChoices();
          // The model is loaded, so the engine has started: say where it runs.
          tasks.run(
              Gpu::status,
              device -> view.showDevice(device.device(), device.reason()),
              failure -> view.showDevice("CPU", Errors.message(failure)));
        },
        failure -> {
          String reason = Errors.message(failure);
          workspace.search().notReady("Search is unavailable: " + reason);
          view.status().say("Could not open the library");
          notifications.error("Could not open the library", failure);
        });
  }

  private void show(Workspace.Summary summary) {
    NumberFormat number = NumberFormat.getIntegerInstance(Locale.ROOT);
    String images = number.format(summary.images()) + " images";
    if (summary.uncoded() > 0) {
      images += " (" + number.format(summary.uncoded()) + " not coded yet)";
    }
    view.status().libraryProperty().set((summary.demo() ? "Demo library · " : "") + images);
    view.status().libraryDetailsProperty().set(summary.file().toString());
    view.status().modelProperty().set(summary.model() + " · " + summary.bits() + " bits");
    view.status()
        .modelDetailsProperty()
        .set(
            "Searches use "
                + summary.model()
                + " ("
                + summary.method()
                + ", "
                + summary.bits()
                + "-bit codes)");
  }

  /** The look; the Settings page switches it with {@link Theme#use}. */
  public Theme theme() {
    return theme;
  }

  public MainView view() {
    return view;
  }

  public Notifications notifications() {
    return notifications;
  }

  public ActivityLog activity() {
    return activity;
  }

  public LibrariesViewModel libraries() {
    return libraries;
  }

  public TrainingViewModel training() {
    return training;
  }

  public EvaluationViewModel evaluation() {
    return evaluation;
  }

  public DownloadsViewModel downloads() {
    return downloads;
  }

  public SettingsViewModel settings() {
    return settingsModel;
  }

  public SearchView searchView() {
    return searchView;
  }

  public SearchViewModel search() {
    return search;
  }

  public LibraryViewModel library() {
    return library;
  }

  public ModelsViewModel models() {
    return models;
  }

  public Workspace workspace() {
    return workspace;
  }
}

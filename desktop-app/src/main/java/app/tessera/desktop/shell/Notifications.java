package app.tessera.desktop.shell;

import app.tessera.engine.ErrorLog;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Non-modal notifications: a few short notices over the window's corner (errors stay until closed,
 * the rest fade), each with its details (a failure's stack trace) on request, and every one also
 * written to the activity log. Never a dialog, never a frozen window. Post from any thread.
 */
public final class Notifications {
  /** How much a notice matters. */
  public enum Level {
    INFO,
    SUCCESS,
    WARNING,
    ERROR
  }

  /**
   * One notice.
   *
   * @param details more for whoever asks (e.g. a stack trace), or null
   */
  public record Notice(
      long id, Level level, String title, String message, String details, Instant at) {
    public boolean hasDetails() {
      return details != null && !details.isBlank();
    }
  }

  /** At most this many notices are shown at once; the oldest make room. */
  static final int SHOWN = 4;

  /** Writes bugs' traces to the error log off the UI thread (a disk write may stall). */
  private static final Executor ERROR_LOG_WRITER =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "tessera-error-log");
            thread.setDaemon(true);
            return thread;
          });

  private final ObservableList<Notice> shown = FXCollections.observableArrayList();
  private final Consumer<String> log;
  private final Executor ui;
  private final Executor errorLogWriter;
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param log where every notice is also written (the activity log)
   * @param ui the UI thread ({@code Platform::runLater}; a direct executor in tests)
   */
  public Notifications(Consumer<String> log, Executor ui) {
    this(log, ui, ERROR_LOG_WRITER);
  }

  /**
   * @param errorLogWriter where a bug's trace is appended to {@link ErrorLog} (a direct executor in
   *     tests)
   */
  Notifications(Consumer<String> log, Executor ui, Executor errorLogWriter) {
    this.log = log;
    this.ui = ui;
    this.errorLogWriter = errorLogWriter;
  }

  /** Notifications on the FX thread, also written to {@code log}. */
  public static Notifications forFx(Consumer<String> log) {
    return new Notifications(
        log,
        action -> {
          if (Platform.isFxApplicationThread()) {
            action.run();
          } else {
            Platform.runLater(action);
          }
        });
  }

  public Notice info(String title, String message) {
    return post(Level.INFO, title, message, null);
  }

  public Notice success(String title, String message) {
    return post(Level.SUCCESS, title, message, null);
  }

  public Notice warn(String title, String message) {
    return post(Level.WARNING, title, message, null);
  }

  /**
   * An error in one readable line ({@link Errors#message}), its stack trace as the details; a bug's
   * trace is also appended to {@link ErrorLog}, as the command line does.
   */
  public Notice error(String title, Throwable failure) {
    String details = Errors.details(failure);
    if (Errors.isInternal(failure)) {
      details =
          "Also written to " + ErrorLog.file() + " (please attach it to a report).\n" + details;
      errorLogWriter.execute(
          () -> {
            try {
              ErrorLog.append(failure, "tessera window: " + title);
            } catch (java.io.IOException | RuntimeException notWritten) {
              log.accept("Could not write " + ErrorLog.file() + ": " + notWritten.getMessage());
            }
          });
    }
    return post(Level.ERROR, title, Errors.message(failure), details);
  }

  public Notice error(String title, String message) {
    return post(Level.ERROR, title, message, null);
  }

  public Notice post(Level level, String title, String message, String details) {
    Notice notice =
        new Notice(ids.incrementAndGet(), level, title, message, details, Instant.now());
    log.accept(message == null || message.isBlank() ? title : title + ": " + message);
    ui.execute(
        () -> {
          shown.add(notice);
          if (shown.size() > SHOWN) {
            shown.remove(0, shown.size() - SHOWN);
          }
        });
    return notice;
  }

  /** Closes {@code notice} (its close button, or its time ran out). */
  public void dismiss(Notice notice) {
    ui.execute(() -> shown.remove(notice));
  }

  /** The notices on screen, oldest first (FX thread). */
  public ObservableList<Notice> shown() {
    return shown;
  }
}

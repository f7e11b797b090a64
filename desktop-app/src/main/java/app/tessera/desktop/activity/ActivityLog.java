package app.tessera.desktop.activity;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What Tessera did in this session (opening the library, indexing, coding, model switches), newest
 * last. Safe to append from any thread; the list itself changes on the FX thread only.
 */
public final class ActivityLog implements Consumer<String> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final int KEEP = 1000;
  private final ObservableList<String> entries = FXCollections.observableArrayList();

  @Override
  public void accept(String message) {
    String entry = LocalTime.now().format(TIME) + "  " + message;
    if (Platform.isFxApplicationThread()) {
      append(entry);
    } else {
      Platform.runLater(() -> append(entry));
    }
  }

  private void append(String entry) {
    entries.add(entry);
    if (entries.size() > KEEP) {
      entries.remove(0, entries.size() - KEEP);
    }
  }

  public ObservableList<String> entries() {
    return entries;
  }
}

package app.tessera.desktop.shell;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * What the status bar says: the current job's line and progress on the left; the library (file,
 * searchable images), the model searches use and the device on the right. Whoever changes one of
 * them (opening, indexing, coding, a model switch) sets it again, so the bar never shows an old
 * count or an old model. FX thread only.
 */
public final class StatusBarModel {
  private final StringProperty message = new SimpleStringProperty("");
  private final DoubleProperty progress = new SimpleDoubleProperty(0);
  private final StringProperty library = new SimpleStringProperty("");
  private final StringProperty libraryDetails = new SimpleStringProperty("");
  private final StringProperty model = new SimpleStringProperty("");
  private final StringProperty modelDetails = new SimpleStringProperty("");
  private final StringProperty device = new SimpleStringProperty("");
  private final StringProperty deviceDetails = new SimpleStringProperty("");

  /** A job's line with its progress (0 to 1; -1: running, amount unknown; 0: none). */
  public void job(String line, double fraction) {
    message.set(line);
    progress.set(fraction);
  }

  /** A line with no job running. */
  public void say(String line) {
    job(line, 0);
  }

  public StringProperty messageProperty() {
    return message;
  }

  public DoubleProperty progressProperty() {
    return progress;
  }

  /** E.g. "7,640 images"; its tooltip: the library file. */
  public StringProperty libraryProperty() {
    return library;
  }

  public StringProperty libraryDetailsProperty() {
    return libraryDetails;
  }

  /** E.g. "tessera-default-… · 64 bits"; its tooltip: method and encoders. */
  public StringProperty modelProperty() {
    return model;
  }

  public StringProperty modelDetailsProperty() {
    return modelDetails;
  }

  /** "CPU" or "GPU · name"; its tooltip: why. */
  public StringProperty deviceProperty() {
    return device;
  }

  public StringProperty deviceDetailsProperty() {
    return deviceDetails;
  }
}

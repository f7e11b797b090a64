package app.tessera.desktop;

/** The sections of the main window, in navigation order. */
public enum Page {
  SEARCH("Search", "Find images and captions by text or by image."),
  LIBRARY("Library", "Folders Tessera indexes, and what it found in them."),
  MODELS("Models", "The library's hashing models, and which one searches use."),
  ACTIVITY("Activity", "What happened in this session: indexing, coding, model switches, errors.");

  private final String title;
  private final String summary;

  Page(String title, String summary) {
    this.title = title;
    this.summary = summary;
  }

  public String title() {
    return title;
  }

  public String summary() {
    return summary;
  }
}

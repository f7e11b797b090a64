package app.tessera.desktop;

/** The sections of the main window, in navigation order. */
public enum Page {
  SEARCH("Search", "Find images and captions by text or by image."),
  LIBRARY("Library", "Folders Tessera indexes, and what it found in them."),
  MODELS("Models", "Hashing models: the embedded default, trained ones, CLIP."),
  ACTIVITY("Activity", "Indexing and training jobs, with progress and errors.");

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

package app.tessera.desktop;

import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;

/**
 * A section of the main window: its navigation entry and heading. {@link MainView#addPage} shows
 * them in the order they are added; a new page needs only a constant here (or its own) and one
 * {@code addPage} call in {@link TesseraApp}.
 *
 * @param id the page root's id is {@code "page-" + id} (tests look pages up by it)
 * @param summary one sentence under the title, saying what the page is for
 */
public record Page(String id, String title, String summary, Ikon icon) {
  public static final Page SEARCH =
      new Page("search", "Search", "Find images and captions by text or by image.", Feather.SEARCH);
  public static final Page LIBRARY =
      new Page(
          "library",
          "Library",
          "Folders Tessera indexes, and what it found in them.",
          Feather.FOLDER);
  public static final Page MODELS =
      new Page(
          "models",
          "Models",
          "The model searches use; switch, train on this library, evaluate, download CLIP.",
          Feather.CPU);
  public static final Page ACTIVITY =
      new Page(
          "activity",
          "Activity",
          "What happened in this session: indexing, coding, model switches, errors.",
          Feather.ACTIVITY);
  public static final Page SETTINGS =
      new Page(
          "settings",
          "Settings",
          "Where networks run, indexing threads, thumbnail size, the library's place and the look.",
          Feather.SETTINGS);
}

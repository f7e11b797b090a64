package app.tessera.desktop.search;

import app.tessera.engine.search.SearchFilter;

/**
 * What the user asked for: text, an image, or both (said so on screen, never silently); what to
 * return (images, captions or both); how many; and the filters of the side panel.
 */
public record SearchQuery(
    String text, QueryImage image, Target target, int top, SearchFilter filter) {
  /** What the results are. */
  public enum Target {
    IMAGES("Images"),
    CAPTIONS("Captions"),
    BOTH("Both");

    private final String title;

    Target(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }

    public boolean images() {
      return this != CAPTIONS;
    }

    public boolean captions() {
      return this != IMAGES;
    }
  }

  public SearchQuery {
    filter = filter == null ? SearchFilter.NONE : filter;
  }

  public SearchQuery(String text, QueryImage image, Target target, int top) {
    this(text, image, target, top, SearchFilter.NONE);
  }

  public boolean hasText() {
    return text != null && !text.isBlank();
  }

  public boolean hasImage() {
    return image != null;
  }

  /** How the status line names what was searched for: "“cat”", "sun.png", "sun.png + “red”". */
  public String describe() {
    String words = hasText() ? "“" + text.strip() + "”" : null;
    if (hasImage() && words != null) {
      return image.name() + " + " + words;
    }
    return hasImage() ? image.name() : words;
  }
}

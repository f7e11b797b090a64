package app.tessera.engine.store;

import java.util.Locale;

/** What an item is: an image (a distinct content) or a caption (text linked to its image). */
public enum ItemKind {
  IMAGE,
  CAPTION;

  /** The spelling in the catalogue. */
  String sql() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package app.tessera.desktop.search;

import java.nio.file.Path;

/** The image a search looks for: a file (dropped or chosen), pasted pixels, or an indexed item. */
public sealed interface QueryImage {
  /** What the query chip and the status line call it. */
  String name();

  /** An image file, read only. */
  record File(Path path) implements QueryImage {
    @Override
    public String name() {
      Path name = path.getFileName();
      return name == null ? path.toString() : name.toString();
    }
  }

  /** An image from the clipboard, as encoded (PNG) bytes. */
  record Pasted(byte[] png) implements QueryImage {
    @Override
    public String name() {
      return "pasted image";
    }
  }

  /** "More like this": an image of the library, by its stored code. */
  record Item(long itemId, String name) implements QueryImage {}
}

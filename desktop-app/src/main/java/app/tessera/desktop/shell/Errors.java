package app.tessera.desktop.shell;

import app.tessera.engine.ErrorLog;
import app.tessera.engine.TesseraException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** How the window words a failure: one readable line for people, the full trace for details. */
public final class Errors {
  private Errors() {}

  /**
   * One line: the failure's message without exception class names, and without a part that only
   * repeats the start of the next one ("cannot read the query image: cannot read the query image
   * x.png: …" reads "cannot read the query image x.png: …").
   */
  public static String message(Throwable failure) {
    Throwable t = failure;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    List<String> parts = new ArrayList<>();
    for (String part : text.split(": ")) {
      String clean = withoutClassName(part).strip();
      if (clean.isEmpty()) {
        continue;
      }
      if (!parts.isEmpty() && clean.startsWith(parts.getLast())) {
        parts.removeLast(); // the next part says it again, and more
      }
      if (parts.isEmpty() || !parts.getLast().startsWith(clean)) {
        parts.add(clean);
      }
    }
    return parts.isEmpty() ? failure.getClass().getSimpleName() : String.join(": ", parts);
  }

  /**
   * Whether {@code failure} is a bug rather than something the engine names (a {@link
   * TesseraException} of a known kind), a failing disk or a cancellation: bugs also go to {@link
   * ErrorLog}, for a report.
   */
  public static boolean isInternal(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TesseraException engine) {
      return engine.kind() == TesseraException.Kind.INTERNAL;
    }
    return !(t instanceof java.io.IOException
        || t instanceof java.io.UncheckedIOException
        || t instanceof java.util.concurrent.CancellationException);
  }

  /** The stack trace, for the details view. */
  public static String details(Throwable failure) {
    StringWriter out = new StringWriter();
    failure.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** "java.io.IOException" → "" (a class name as a message part adds nothing for a person). */
  private static String withoutClassName(String part) {
    return part.matches("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(Exception|Error)") ? "" : part;
  }
}

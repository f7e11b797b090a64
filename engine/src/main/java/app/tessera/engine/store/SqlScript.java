package app.tessera.engine.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a migration script into statements (on {@code ;} outside quotes, minus comments; a {@code
 * CREATE TRIGGER} runs to its {@code END;}).
 */
final class SqlScript {
  private SqlScript() {}

  static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inQuote = false;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (!inQuote && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
        while (i < script.length() && script.charAt(i) != '\n') {
          i++;
        }
        current.append('\n');
        continue;
      }
      if (c == '\'') {
        inQuote = !inQuote;
      }
      if (c == ';' && !inQuote && !insideTrigger(current)) {
        add(statements, current);
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    add(statements, current);
    return statements;
  }

  /** Whether {@code sql} is a trigger whose body has not reached its END yet. */
  private static boolean insideTrigger(StringBuilder sql) {
    String s = sql.toString().strip().toUpperCase(Locale.ROOT);
    return s.startsWith("CREATE TRIGGER") && !s.endsWith("END");
  }

  private static void add(List<String> statements, StringBuilder sql) {
    String s = sql.toString().strip();
    if (!s.isEmpty()) {
      statements.add(s);
    }
  }
}

package app.tessera.engine.store;

import java.util.Locale;

/**
 * Whether a library file is there: present, missing (vanished from an online root; kept until
 * {@code tessera prune}) or offline (its root is absent, e.g. an unplugged drive).
 */
public enum Presence {
  PRESENT,
  MISSING,
  OFFLINE;

  /** The spelling in the catalogue. */
  String sql() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Presence of(String sql) {
    return valueOf(sql.toUpperCase(Locale.ROOT));
  }
}

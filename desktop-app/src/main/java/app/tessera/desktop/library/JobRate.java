package app.tessera.desktop.library;

import java.util.Locale;

/**
 * The rate and the time left of one phase of a job, from its progress events: {@code done} per
 * second of running time (paused time does not count) and the rest at that rate.
 */
final class JobRate {
  /** Below this much running time a rate says little: none is shown. */
  private static final long WARM_UP_NANOS = 500_000_000L;

  private final long started;
  private long pausedNanos;
  private long pausedAt = -1;

  JobRate(long nowNanos) {
    started = nowNanos;
  }

  void paused(long nowNanos) {
    if (pausedAt < 0) {
      pausedAt = nowNanos;
    }
  }

  void resumed(long nowNanos) {
    if (pausedAt >= 0) {
      pausedNanos += nowNanos - pausedAt;
      pausedAt = -1;
    }
  }

  /** E.g. {@code "35 files/s · about 9 s left"}; empty while too early to tell. */
  String describe(int done, int total, String unit, long nowNanos) {
    long running = (pausedAt >= 0 ? pausedAt : nowNanos) - started - pausedNanos;
    if (running < WARM_UP_NANOS || done <= 0) {
      return "";
    }
    double perSecond = done / (running / 1e9);
    String rate =
        perSecond >= 10
            ? String.format(Locale.ROOT, "%,.0f %s/s", perSecond, unit)
            : String.format(Locale.ROOT, "%.1f %s/s", perSecond, unit);
    if (total <= done) {
      return rate;
    }
    return rate + " · about " + duration((total - done) / perSecond) + " left";
  }

  /** {@code 9 s}, {@code 4 min}, {@code 1 h 20 min}. */
  static String duration(double seconds) {
    long s = Math.round(Math.ceil(seconds));
    if (s < 60) {
      return s + " s";
    }
    long minutes = Math.round(seconds / 60);
    if (minutes < 60) {
      return minutes + " min";
    }
    return minutes / 60 + " h " + minutes % 60 + " min";
  }
}

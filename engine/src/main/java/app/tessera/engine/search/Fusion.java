package app.tessera.engine.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Reciprocal-rank fusion (Cormack et al., 2009) of ranked id lists: an id at rank r (from 1) of a
 * list scores {@code 1 / (k + r)}, summed over the lists that hold it, and each id remembers which
 * lists those were ({@link MatchReason}). Equal scores go to the better single rank, then to the id
 * seen first (the first list added leads).
 */
final class Fusion {
  /** One fused result. */
  record Entry(long id, double score, Set<MatchReason> reasons) {}

  private static final class Sum {
    final long id;
    final int seen;
    final Set<MatchReason> reasons = EnumSet.noneOf(MatchReason.class);
    double score;
    int bestRank = Integer.MAX_VALUE;

    Sum(long id, int seen) {
      this.id = id;
      this.seen = seen;
    }
  }

  private final int k;
  private final Map<Long, Sum> sums = new LinkedHashMap<>();
  private int lists;

  Fusion(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0");
    }
    this.k = k;
  }

  /** Adds one ranking, best first. */
  void add(MatchReason reason, List<Long> ranked) {
    addGroups(reason, ranked, List::of);
  }

  /**
   * Adds one ranking of groups, best first: every member of the group at rank r is at rank r (e.g.
   * the captions of a ranked image).
   */
  void addGroups(MatchReason reason, List<Long> ranked, LongFunction<List<Long>> members) {
    boolean any = false;
    for (int r = 0; r < ranked.size(); r++) {
      for (long id : members.apply(ranked.get(r))) {
        Sum sum = sums.computeIfAbsent(id, key -> new Sum(key, sums.size()));
        if (sum.reasons.add(reason)) { // an id counts once per ranking, at its best place
          sum.score += 1.0 / (k + r + 1);
          sum.bestRank = Math.min(sum.bestRank, r);
          any = true;
        }
      }
    }
    lists += any ? 1 : 0;
  }

  /** The rankings that contributed at least one id. */
  int lists() {
    return lists;
  }

  /** The best score possible: first in every contributing ranking. */
  double bestPossible() {
    return lists / (double) (k + 1);
  }

  /** The {@code n} best, best first. */
  List<Entry> best(int n) {
    List<Sum> all = new ArrayList<>(sums.values());
    all.sort(
        Comparator.comparingDouble((Sum s) -> -s.score)
            .thenComparingInt(s -> s.bestRank)
            .thenComparingInt(s -> s.seen));
    List<Entry> out = new ArrayList<>(Math.min(n, all.size()));
    for (Sum s : all.subList(0, Math.min(n, all.size()))) {
      out.add(new Entry(s.id, s.score, s.reasons));
    }
    return out;
  }
}

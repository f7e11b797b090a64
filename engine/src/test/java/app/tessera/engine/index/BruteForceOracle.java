package app.tessera.engine.index;

import app.tessera.engine.code.BinaryCodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/** The obvious model of a Hamming index: a list in insertion order, sorted per query. */
final class BruteForceOracle {
  private record Item(long id, long[] code) {}

  private final int bits;
  private final int words;
  private final List<Item> items = new ArrayList<>();

  BruteForceOracle(int bits) {
    this.bits = bits;
    this.words = BinaryCodes.wordsPerCode(bits);
  }

  void add(long[] ids, long[] codes) {
    lastQuery = null;
    for (int i = 0; i < ids.length; i++) {
      items.add(new Item(ids[i], Arrays.copyOfRange(codes, i * words, (i + 1) * words)));
    }
  }

  int remove(long[] ids) {
    lastQuery = null;
    int before = items.size();
    Set<Long> gone = new HashSet<>();
    for (long id : ids) {
      gone.add(id);
    }
    items.removeIf(item -> gone.contains(item.id()));
    return before - items.size();
  }

  int size() {
    return items.size();
  }

  /** {ids, distances} of the k best, padded like FAISS. */
  Object[] search(long[] query, int k, LongPredicate filter) {
    List<long[]> ranked =
        ranked(query, filter); // {distance, id}, stable sort keeps insertion order
    long[] ids = new long[k];
    int[] distances = new int[k];
    Arrays.fill(ids, -1);
    Arrays.fill(distances, Integer.MAX_VALUE);
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      distances[i] = (int) ranked.get(i)[0];
      ids[i] = ranked.get(i)[1];
    }
    return new Object[] {ids, distances};
  }

  Object[] rangeSearch(long[] query, int radius, LongPredicate filter) {
    List<long[]> ranked = ranked(query, filter).stream().filter(r -> r[0] <= radius).toList();
    return new Object[] {
      ranked.stream().mapToLong(r -> r[1]).toArray(),
      ranked.stream().mapToInt(r -> (int) r[0]).toArray()
    };
  }

  private long[] lastQuery;
  private LongPredicate lastFilter;
  private List<long[]> lastRanked;

  private List<long[]> ranked(long[] query, LongPredicate filter) {
    // The suites ask one query for several k in a row: rank it once.
    if (query == lastQuery && filter == lastFilter) {
      return lastRanked;
    }
    List<long[]> ranked = new ArrayList<>();
    for (Item item : items) {
      if (filter == null || filter.test(item.id())) {
        ranked.add(new long[] {BinaryCodes.distance(item.code(), 0, query, 0, words), item.id()});
      }
    }
    ranked.sort(Comparator.comparingLong(r -> r[0]));
    lastQuery = query;
    lastFilter = filter;
    lastRanked = ranked;
    return ranked;
  }

  int bits() {
    return bits;
  }
}

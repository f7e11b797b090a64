package app.tessera.engine.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The captions' words in memory: for each stemmed word ({@link Words}), the captions that hold it
 * and how often; a query ranks the captions holding any of its words by BM25, exactly as the
 * catalogue's FTS5 table ranks them ({@code ORDER BY bm25(caption_words), rowid}; k1 1.2, b 0.75,
 * FTS5's idf), with one difference: a stem the query repeats ("dog dogs") counts once.
 *
 * <p>Why not ask FTS5 at query time: it computes BM25 for every matching row, reading each row's
 * length from disk, so a common word costs tens of milliseconds at a million captions
 * (`docs/bench/README.md`); here the postings are arrays, merged in one pass (about 10 ns a
 * posting). Every word is looked for, however common. Immutable and thread-safe; built from the
 * captions a library view holds, so it is always in step with them.
 */
public final class WordIndex implements CaptionWordIndex {
  private static final double K1 = 1.2;
  private static final double B = 0.75;

  /** An index of no captions. */
  public static final WordIndex EMPTY = build(List.of());

  /**
   * The captions holding one word, by position in {@link #ids}, ascending, and the word's count.
   */
  private record Postings(int[] captions, char[] counts) {}

  private final long[] ids; // caption ids, ascending: a caption's position is its rank in ties
  private final int[] lengths; // words per caption (stop words included, as FTS5 counts)
  private final double averageLength;
  private final Map<String, Postings> postings;

  private WordIndex(long[] ids, int[] lengths, long words, Map<String, Postings> postings) {
    this.ids = ids;
    this.lengths = lengths;
    this.averageLength = ids.length == 0 ? 0 : (double) words / (double) ids.length;
    this.postings = postings;
  }

  /** The index of {@code captions} (every caption of the library, as the FTS5 table holds). */
  public static WordIndex build(Collection<ItemCatalog.Caption> captions) {
    List<ItemCatalog.Caption> sorted = new ArrayList<>(captions);
    sorted.sort(Comparator.comparingLong(ItemCatalog.Caption::id));
    long[] ids = new long[sorted.size()];
    int[] lengths = new int[sorted.size()];
    Map<String, String> stems = new HashMap<>();
    Map<String, Growing> growing = new HashMap<>();
    List<String> words = new ArrayList<>();
    Map<String, int[]> counts = new HashMap<>();
    long total = 0;
    for (int i = 0; i < ids.length; i++) {
      ItemCatalog.Caption caption = sorted.get(i);
      ids[i] = caption.id();
      words.clear();
      Words.of(caption.text(), stems, words);
      lengths[i] = words.size();
      total += words.size();
      counts.clear();
      for (String word : words) {
        counts.computeIfAbsent(word, w -> new int[1])[0]++;
      }
      for (Map.Entry<String, int[]> e : counts.entrySet()) {
        growing.computeIfAbsent(e.getKey(), w -> new Growing()).add(i, e.getValue()[0]);
      }
    }
    Map<String, Postings> postings = HashMap.newHashMap(growing.size());
    growing.forEach((word, g) -> postings.put(word, g.done()));
    return new WordIndex(ids, lengths, total, postings);
  }

  /** Captions indexed. */
  public int size() {
    return ids.length;
  }

  /** (word, caption) pairs held. */
  public long postings() {
    return postings.values().stream().mapToLong(p -> p.captions().length).sum();
  }

  /** About what the index holds in memory (arrays, words and the map's entries). */
  public long ramBytes() {
    long bytes = 12L * ids.length; // ids and lengths
    for (Map.Entry<String, Postings> e : postings.entrySet()) {
      // postings: 4 + 2 bytes each; the word, its record and map entry: about 120 bytes.
      bytes += 6L * e.getValue().captions().length + 2L * e.getKey().length() + 120;
    }
    return bytes;
  }

  /**
   * Caption ids holding any word of {@code texts} and none of {@code excluded}'s, best BM25 first
   * (equal scores: lower id first), at most {@code limit}; empty when there is no word to look for.
   */
  @Override
  public List<Long> match(List<String> texts, List<String> excluded, int limit) {
    List<Postings> lists = new ArrayList<>();
    List<Double> idfs = new ArrayList<>();
    for (String word : Words.query(texts)) {
      Postings p = postings.get(word);
      if (p != null) {
        lists.add(p);
        idfs.add(idf(p.captions().length));
      }
    }
    if (lists.isEmpty() || limit < 1) {
      return List.of();
    }
    List<Postings> unwanted = new ArrayList<>();
    for (String word : Words.query(excluded)) {
      Postings p = postings.get(word);
      if (p != null) {
        unwanted.add(p);
      }
    }
    return best(lists, idfs.stream().mapToDouble(Double::doubleValue).toArray(), unwanted, limit);
  }

  /** FTS5's idf: ln((N - n + 0.5) / (n + 0.5)), at least 1e-6. */
  private double idf(long holding) {
    double idf = Math.log((ids.length - holding + 0.5) / (holding + 0.5));
    return idf <= 0.0 ? 1e-6 : idf;
  }

  /**
   * One document-at-a-time pass over the query words' postings (a cursor per word), keeping the
   * best {@code limit} in a heap; scores are summed in the query's word order, as FTS5 does.
   */
  private List<Long> best(List<Postings> lists, double[] idf, List<Postings> unwanted, int limit) {
    int words = lists.size();
    int[][] captions = new int[words][];
    char[][] counts = new char[words][];
    int[] at = new int[words];
    for (int w = 0; w < words; w++) {
      captions[w] = lists.get(w).captions();
      counts[w] = lists.get(w).counts();
    }
    int[] skipAt = new int[unwanted.size()];
    TopK top = new TopK(limit);
    while (true) {
      int caption = Integer.MAX_VALUE;
      for (int w = 0; w < words; w++) {
        if (at[w] < captions[w].length) {
          caption = Math.min(caption, captions[w][at[w]]);
        }
      }
      if (caption == Integer.MAX_VALUE) {
        break;
      }
      double lengthNorm = K1 * (1 - B + B * (double) lengths[caption] / averageLength);
      double score = 0;
      for (int w = 0; w < words; w++) {
        if (at[w] < captions[w].length && captions[w][at[w]] == caption) {
          double f = counts[w][at[w]++];
          score += idf[w] * ((f * (K1 + 1.0)) / (f + lengthNorm));
        }
      }
      if (top.wouldTake(score) && !holdsAny(unwanted, skipAt, caption)) {
        top.add(score, caption);
      }
    }
    int[] order = top.sorted();
    List<Long> out = new ArrayList<>(order.length);
    for (int caption : order) {
      out.add(ids[caption]);
    }
    return out;
  }

  /** Whether {@code caption} holds an unwanted word; cursors only move forward. */
  private static boolean holdsAny(List<Postings> unwanted, int[] at, int caption) {
    for (int u = 0; u < at.length; u++) {
      int[] c = unwanted.get(u).captions();
      int i = Arrays.binarySearch(c, at[u], c.length, caption);
      at[u] = i >= 0 ? i : -i - 1;
      if (i >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The best {@code k} (score, position) pairs: a min-heap on score. Positions arrive ascending, so
   * an equal score never displaces one already held (lower position first on ties, as FTS5's
   * rowid).
   */
  private static final class TopK {
    private final int k;
    private final double[] scores;
    private final int[] positions;
    private int size;

    TopK(int k) {
      this.k = k;
      int capacity = Math.min(k, 1 << 16);
      this.scores = new double[capacity];
      this.positions = new int[capacity];
    }

    boolean wouldTake(double score) {
      return size < k || score > scores[0];
    }

    void add(double score, int position) {
      if (size < k) {
        if (size == scores.length) {
          throw new IllegalStateException("top-k beyond " + scores.length);
        }
        scores[size] = score;
        positions[size] = position;
        up(size++);
      } else {
        scores[0] = score;
        positions[0] = position;
        down(0);
      }
    }

    /** Worse first in the heap: lower score, or equal score and later position. */
    private boolean worse(int a, int b) {
      return scores[a] < scores[b] || (scores[a] == scores[b] && positions[a] > positions[b]);
    }

    private void up(int i) {
      while (i > 0 && worse(i, (i - 1) / 2)) {
        swap(i, (i - 1) / 2);
        i = (i - 1) / 2;
      }
    }

    private void down(int i) {
      while (true) {
        int l = 2 * i + 1;
        int r = l + 1;
        int m = i;
        if (l < size && worse(l, m)) {
          m = l;
        }
        if (r < size && worse(r, m)) {
          m = r;
        }
        if (m == i) {
          return;
        }
        swap(i, m);
        i = m;
      }
    }

    private void swap(int a, int b) {
      double s = scores[a];
      scores[a] = scores[b];
      scores[b] = s;
      int p = positions[a];
      positions[a] = positions[b];
      positions[b] = p;
    }

    /** Best first. */
    int[] sorted() {
      Integer[] order = new Integer[size];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, (a, b) -> worse(a, b) ? 1 : worse(b, a) ? -1 : 0);
      int[] out = new int[size];
      for (int i = 0; i < size; i++) {
        out[i] = positions[order[i]];
      }
      return out;
    }
  }

  /** One word's postings while the index is built. */
  private static final class Growing {
    int[] captions = new int[4];
    char[] counts = new char[4];
    int size;

    void add(int caption, int count) {
      if (size == captions.length) {
        captions = Arrays.copyOf(captions, size * 2);
        counts = Arrays.copyOf(counts, size * 2);
      }
      captions[size] = caption;
      counts[size++] = (char) Math.min(count, Character.MAX_VALUE);
      // A word repeated more than 65,535 times in one caption counts as 65,535.
    }

    Postings done() {
      return new Postings(Arrays.copyOf(captions, size), Arrays.copyOf(counts, size));
    }
  }
}

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
 * FTS5's idf; a stem the query repeats, as in "dog dogs", counts once per word, as there).
 *
 * <p>Why not ask FTS5 at query time: it computes BM25 for every matching row, reading each row's
 * length from disk, so a common word costs tens of milliseconds at a million captions
 * (`docs/bench/README.md`). Here the postings are arrays, and only the best {@code limit} are
 * wanted: MaxScore (Turtle and Flood, 1995) walks the rarer words' postings and only looks up the
 * common words' for the captions found there, once the k-th best score shows that the common words
 * alone cannot reach it. The result is the exact top-k. Every word is looked for, however common.
 * Immutable and thread-safe; built from the captions a library view holds, so it is always in step
 * with them.
 */
public final class WordIndex implements CaptionWordIndex {
  private static final double K1 = 1.2;
  private static final double B = 0.75;

  /**
   * Bounds are compared with this margin, so that rounding (scores are summed in the query's word
   * order, bounds in another) never prunes a caption that would have made the top-k.
   */
  private static final double MARGIN = 1 + 1e-9;

  /** An index of no captions. */
  public static final WordIndex EMPTY = build(List.of());

  /**
   * The captions holding one word, by position in {@link #ids}, ascending; the word's count in
   * each; and the largest BM25 term weight (before idf) any of them gives it.
   */
  private record Postings(int[] captions, char[] counts, double maxWeight) {}

  private final long[] ids; // caption ids, ascending: a caption's position is its rank in ties
  private final int[] lengths; // words per caption (stop words included, as FTS5 counts)
  private final double averageLength;
  private final Map<String, Postings> postings;

  private WordIndex(
      long[] ids, int[] lengths, double averageLength, Map<String, Postings> postings) {
    this.ids = ids;
    this.lengths = lengths;
    this.averageLength = averageLength;
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
    long total = 0;
    for (int i = 0; i < ids.length; i++) {
      ItemCatalog.Caption caption = sorted.get(i);
      ids[i] = caption.id();
      words.clear();
      Words.of(caption.text(), stems, words);
      lengths[i] = words.size();
      total += words.size();
      words.sort(null); // runs of one word: its count
      for (int a = 0, b; a < words.size(); a = b) {
        for (b = a + 1; b < words.size() && words.get(b).equals(words.get(a)); b++) {}
        growing.computeIfAbsent(words.get(a), w -> new Growing()).add(i, b - a);
      }
    }
    double averageLength = ids.length == 0 ? 0 : (double) total / (double) ids.length;
    Map<String, Postings> postings = HashMap.newHashMap(growing.size());
    growing.forEach((word, g) -> postings.put(word, g.done(lengths, averageLength)));
    return new WordIndex(ids, lengths, averageLength, postings);
  }

  /**
   * BM25's weight of a word {@code count} times in a caption of {@code length} words, before idf.
   */
  private static double weight(double count, int length, double averageLength) {
    // The very expression, in the very order, of FTS5's bm25().
    return (count * (K1 + 1.0)) / (count + K1 * (1 - B + B * (double) length / averageLength));
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
      // postings: 4 + 2 bytes each; the word, its record and map entry: about 130 bytes.
      bytes += 6L * e.getValue().captions().length + 2L * e.getKey().length() + 130;
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
    for (String word : Words.query(texts)) {
      Postings p = postings.get(word);
      if (p != null) {
        lists.add(p);
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
    TopK top = new TopK(Math.min(limit, ids.length));
    new Pass(lists, unwanted, top).run();
    int[] order = top.sorted();
    List<Long> out = new ArrayList<>(order.length);
    for (int caption : order) {
      out.add(ids[caption]);
    }
    return out;
  }

  /** FTS5's idf: ln((N - n + 0.5) / (n + 0.5)), at least 1e-6. */
  private double idf(long holding) {
    double idf = Math.log((ids.length - holding + 0.5) / (holding + 0.5));
    return idf <= 0.0 ? 1e-6 : idf;
  }

  /**
   * One MaxScore pass: captions in ascending position, each scored once. Words are ordered by their
   * bound (idf times largest weight); while the bounds of the first few add up to no more than the
   * k-th best score, a caption holding only those cannot enter, so only the other words' postings
   * propose captions, and the first few are looked up for those alone.
   */
  private final class Pass {
    private final int words;
    private final int[][] captions;
    private final char[][] counts;
    private final double[] idf;
    private final int[] at;
    private final int[] byBound; // word indexes, smallest bound first
    private final double[] boundsUpTo; // boundsUpTo[i]: the bounds of byBound[0..i] summed
    private final List<Postings> unwanted;
    private final int[] unwantedAt;
    private final TopK top;

    Pass(List<Postings> lists, List<Postings> unwanted, TopK top) {
      words = lists.size();
      captions = new int[words][];
      counts = new char[words][];
      idf = new double[words];
      at = new int[words];
      double[] bound = new double[words];
      for (int w = 0; w < words; w++) {
        Postings p = lists.get(w);
        captions[w] = p.captions();
        counts[w] = p.counts();
        idf[w] = idf(p.captions().length);
        bound[w] = idf[w] * p.maxWeight() * MARGIN;
      }
      byBound =
          java.util.stream.IntStream.range(0, words)
              .boxed()
              .sorted(Comparator.comparingDouble(w -> bound[w]))
              .mapToInt(Integer::intValue)
              .toArray();
      boundsUpTo = new double[words];
      double sum = 0;
      for (int i = 0; i < words; i++) {
        sum += bound[byBound[i]];
        boundsUpTo[i] = sum * MARGIN;
      }
      this.unwanted = unwanted;
      this.unwantedAt = new int[unwanted.size()];
      this.top = top;
    }

    /**
     * Whether the walked words' weights of {@code caption} plus the looked-up words' bounds stay at
     * or below the k-th best score: then it cannot enter, and nothing is looked up for it.
     */
    private boolean cannotEnter(int caption, int lookedUp, double lengthNorm) {
      double walked = 0;
      for (int i = lookedUp; i < words; i++) {
        int w = byBound[i];
        if (at[w] < captions[w].length && captions[w][at[w]] == caption) {
          double f = counts[w][at[w]];
          walked += idf[w] * ((f * (K1 + 1.0)) / (f + lengthNorm));
        }
      }
      return walked * MARGIN + boundsUpTo[lookedUp - 1] <= top.threshold();
    }

    void run() {
      int lookedUp = 0; // byBound[0..lookedUp) only looked up, never walked
      while (lookedUp < words) {
        int caption = Integer.MAX_VALUE;
        for (int i = lookedUp; i < words; i++) {
          int w = byBound[i];
          if (at[w] < captions[w].length) {
            caption = Math.min(caption, captions[w][at[w]]);
          }
        }
        if (caption == Integer.MAX_VALUE) {
          return;
        }
        double lengthNorm = K1 * (1 - B + B * (double) lengths[caption] / averageLength);
        if (lookedUp > 0 && top.full() && cannotEnter(caption, lookedUp, lengthNorm)) {
          for (int i = lookedUp; i < words; i++) {
            int w = byBound[i];
            at[w] += at[w] < captions[w].length && captions[w][at[w]] == caption ? 1 : 0;
          }
          continue;
        }
        for (int i = 0; i < lookedUp; i++) {
          int w = byBound[i];
          at[w] = seek(captions[w], at[w], caption);
        }
        double score = 0;
        for (int w = 0; w < words; w++) { // summed in the query's order, as FTS5 sums
          if (at[w] < captions[w].length && captions[w][at[w]] == caption) {
            double f = counts[w][at[w]++];
            score += idf[w] * ((f * (K1 + 1.0)) / (f + lengthNorm));
          }
        }
        if (top.wouldTake(score) && !holdsAny(unwanted, unwantedAt, caption)) {
          top.add(score, caption);
          if (top.full()) {
            while (lookedUp < words && boundsUpTo[lookedUp] <= top.threshold()) {
              lookedUp++;
            }
          }
        }
      }
    }
  }

  /** Whether {@code caption} holds an unwanted word; cursors only move forward. */
  private static boolean holdsAny(List<Postings> unwanted, int[] at, int caption) {
    for (int u = 0; u < at.length; u++) {
      int[] c = unwanted.get(u).captions();
      at[u] = seek(c, at[u], caption);
      if (at[u] < c.length && c[at[u]] == caption) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first index at or after {@code from} whose value is at least {@code target} ({@code
   * a.length} if none): galloping, then binary search, so that close targets cost little.
   */
  static int seek(int[] a, int from, int target) {
    int lo = from;
    int hi = from;
    for (int step = 1; hi < a.length && a[hi] < target; step <<= 1) {
      lo = hi + 1;
      hi += step;
    }
    int found = Arrays.binarySearch(a, lo, Math.min(hi, a.length), target);
    return found >= 0 ? found : -found - 1;
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
      this.scores = new double[k];
      this.positions = new int[k];
    }

    boolean wouldTake(double score) {
      return size < k || score > scores[0];
    }

    boolean full() {
      return size == k;
    }

    /** The k-th best score (once full): a caption must score more to enter. */
    double threshold() {
      return scores[0];
    }

    void add(double score, int position) {
      if (size < k) {
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

    Postings done(int[] lengths, double averageLength) {
      double max = 0;
      for (int i = 0; i < size; i++) {
        max = Math.max(max, weight(counts[i], lengths[captions[i]], averageLength));
      }
      return new Postings(Arrays.copyOf(captions, size), Arrays.copyOf(counts, size), max);
    }
  }
}

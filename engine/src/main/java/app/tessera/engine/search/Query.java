package app.tessera.engine.search;

import app.tessera.engine.TesseraException;
import app.tessera.engine.TesseraException.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A search: one or more weighted inputs (texts, images, indexed items), optional negative texts,
 * what to search ({@link Target}), how many results, how ties and re-ranking work, and a filter.
 * Build one with {@link #builder()}; {@link Builder#text(String)} reads {@code "beach -people"} as
 * the positive text "beach" and the negative text "people".
 *
 * <p>The four directions are text→image and image→image ({@link Target#IMAGES}), text→caption and
 * image→caption ({@link Target#CAPTIONS}).
 *
 * @param top number of results
 * @param rerankTop re-rank the best {@code max(top, rerankTop)} codes by cached float features (0:
 *     Hamming ranking only)
 * @param breakTies order results at equal Hamming distance by the query's own outputs and features
 *     ({@link TieBreak}); false: by insertion order, the evaluation protocol's rule
 * @param matchCaptions in a library with captions, fuse the rankings by image codes, by caption
 *     codes and by caption words for text queries and queries for captions ({@link SearchService});
 *     false: the target's own codes only
 */
public record Query(
    List<Part> positives,
    List<Part> negatives,
    Target target,
    int top,
    int rerankTop,
    boolean breakTies,
    boolean matchCaptions,
    SearchFilter filter) {

  /** What the results are. */
  public enum Target {
    /** Images (item ids). */
    IMAGES,
    /** Captions (caption ids, with their items). */
    CAPTIONS
  }

  /** A query input. */
  public sealed interface Input {}

  /** A text. */
  public record Text(String text) implements Input {}

  /** An image file, read only. */
  public record ImageFile(Path path) implements Input {}

  /** An image as encoded bytes (drag-and-drop, clipboard). */
  public record ImageBytes(byte[] bytes) implements Input {}

  /** An indexed item: "more like this" (uses its stored code; the item is left out of results). */
  public record IndexedItem(long itemId) implements Input {}

  /** An input with its weight (> 0). */
  public record Part(Input input, double weight) {
    public Part {
      if (input == null || !(weight > 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException("a query part needs an input and a weight > 0");
      }
    }
  }

  public Query {
    positives = List.copyOf(positives);
    negatives = List.copyOf(negatives);
    if (positives.isEmpty()) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          null,
          negatives.isEmpty()
              ? "nothing to look for: give a text or an image"
              : "the query only says what to leave out (words starting with '-'): add a word to"
                  + " look for, e.g. 'dog -cat'");
    }
    if (target == null || filter == null) {
      throw new IllegalArgumentException("target and filter must not be null");
    }
    if (top < 1 || top > MAX_TOP) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          null,
          "the number of results must be between 1 and " + MAX_TOP + " (got " + top + ")");
    }
    if (rerankTop < 0 || rerankTop > MAX_RERANK) {
      throw new TesseraException(
          Kind.BAD_INPUT,
          null,
          "re-ranking takes between 0 (off) and "
              + MAX_RERANK
              + " candidates (got "
              + rerankTop
              + ")");
    }
  }

  /**
   * Most results a query returns: a person reads far fewer, and each result holds its path and
   * caption in memory.
   */
  public static final int MAX_TOP = 10_000;

  /** Most candidates re-ranked: their float features are read from the catalogue at query time. */
  public static final int MAX_RERANK = 10_000;

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link Query}; defaults: images, top 20, ties broken, captions matched, no re-ranking,
   * no filter.
   */
  public static final class Builder {
    /** Weight of the words after '-' in {@link #text(String)}. */
    public static final double DEFAULT_NEGATIVE_WEIGHT = 0.5;

    private final List<Part> positives = new ArrayList<>();
    private final List<Part> negatives = new ArrayList<>();
    private Target target = Target.IMAGES;
    private int top = 20;
    private int rerankTop;
    private boolean breakTies = true;
    private boolean matchCaptions = true;
    private SearchFilter filter = SearchFilter.NONE;

    /** A text with weight 1; words starting with '-' become a negative text ("beach -people"). */
    public Builder text(String query) {
      return text(query, 1);
    }

    /** A text with a weight; words starting with '-' become a negative text of half the weight. */
    public Builder text(String query, double weight) {
      if (query == null || query.isBlank()) {
        throw new TesseraException(Kind.BAD_INPUT, null, "the text to look for is empty");
      }
      List<String> wanted = new ArrayList<>();
      List<String> unwanted = new ArrayList<>();
      for (String word : query.trim().split("\\s+")) {
        if (word.length() > 1 && word.startsWith("-")) {
          unwanted.add(word.substring(1));
        } else {
          wanted.add(word);
        }
      }
      if (!wanted.isEmpty()) {
        positives.add(new Part(new Text(String.join(" ", wanted)), weight));
      }
      if (!unwanted.isEmpty()) {
        negatives.add(
            new Part(new Text(String.join(" ", unwanted)), weight * DEFAULT_NEGATIVE_WEIGHT));
      }
      return this;
    }

    /** A text to move away from. */
    public Builder notText(String text, double weight) {
      negatives.add(new Part(new Text(text), weight));
      return this;
    }

    public Builder image(Path file, double weight) {
      positives.add(new Part(new ImageFile(file), weight));
      return this;
    }

    public Builder image(byte[] bytes, double weight) {
      positives.add(new Part(new ImageBytes(bytes.clone()), weight));
      return this;
    }

    public Builder item(long itemId, double weight) {
      positives.add(new Part(new IndexedItem(itemId), weight));
      return this;
    }

    public Builder target(Target t) {
      this.target = t;
      return this;
    }

    public Builder top(int n) {
      this.top = n;
      return this;
    }

    public Builder rerankTop(int n) {
      this.rerankTop = n;
      return this;
    }

    /** Whether equal Hamming distances are ordered by {@link TieBreak} (default) or insertion. */
    public Builder breakTies(boolean on) {
      this.breakTies = on;
      return this;
    }

    /**
     * Whether a library's captions also match the query (by their codes and words, fused with the
     * target's own ranking; default) or only the target's own codes rank it.
     */
    public Builder matchCaptions(boolean on) {
      this.matchCaptions = on;
      return this;
    }

    public Builder filter(SearchFilter f) {
      this.filter = f;
      return this;
    }

    public Query build() {
      return new Query(
          positives, negatives, target, top, rerankTop, breakTies, matchCaptions, filter);
    }
  }
}

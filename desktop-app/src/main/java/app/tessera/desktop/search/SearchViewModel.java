package app.tessera.desktop.search;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.shell.Errors;
import app.tessera.engine.search.SearchFilter;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

/**
 * The search page's state. Results follow the query as it is typed (debounced), and at once when an
 * image is chosen, the target (images, captions, both) or a filter changes. Queries run in the
 * search lane; one that a newer query overtook before it started is skipped, and only the newest
 * query's results are shown, whatever order they arrive in.
 *
 * <p>An image chosen (dropped, pasted, picked, "more like this") replaces the text in the box: the
 * two are only combined when the user types after choosing the image, and the query chip and status
 * line then say both are used.
 */
public final class SearchViewModel {
  /** Results asked for at first; "Show more" adds as many again. */
  public static final int PAGE = 200;

  /** The pause after the last key press before a search starts. */
  static final Duration TYPING_PAUSE = Duration.millis(250);

  private final StringProperty text = new SimpleStringProperty("");
  private final ObjectProperty<QueryImage> image = new SimpleObjectProperty<>();
  private final ObjectProperty<SearchQuery.Target> target =
      new SimpleObjectProperty<>(SearchQuery.Target.IMAGES);
  private final IntegerProperty top = new SimpleIntegerProperty(PAGE);
  private final IntegerProperty tileSize = new SimpleIntegerProperty(176);
  private final ObservableList<ResultCard> imageResults = FXCollections.observableArrayList();
  private final ObservableList<ResultCard> captionResults = FXCollections.observableArrayList();
  private final BooleanProperty busy = new SimpleBooleanProperty();
  private final BooleanProperty failed = new SimpleBooleanProperty();
  private final BooleanProperty more = new SimpleBooleanProperty();
  private final StringProperty status = new SimpleStringProperty("");

  // The filters of the side panel; null or blank: no restriction.
  private final ObjectProperty<Path> folder = new SimpleObjectProperty<>();
  private final StringProperty pathPattern = new SimpleStringProperty("");
  private final ObjectProperty<LocalDate> from = new SimpleObjectProperty<>();
  private final ObjectProperty<LocalDate> to = new SimpleObjectProperty<>();
  private final StringProperty label = new SimpleStringProperty("");
  private final ObservableList<Path> folders = FXCollections.observableArrayList();
  private final ObservableList<String> labels = FXCollections.observableArrayList();

  private final BackgroundTasks tasks;
  private final Runnable searchSoon;
  private final PreviewModel preview;
  private final Thumbnails thumbnails;
  private volatile SearchBackend backend;
  private boolean quiet; // set while several fields change as one
  private final AtomicLong skipped = new AtomicLong();

  /** Increases with every query asked; only the latest query's outcome is shown. */
  private volatile long asked;

  public SearchViewModel(SearchBackend backend, BackgroundTasks tasks) {
    this.backend = backend;
    this.tasks = tasks;
    this.searchSoon = tasks.debounced(TYPING_PAUSE, this::search);
    this.preview = new PreviewModel(() -> this.backend, tasks);
    this.thumbnails = new Thumbnails(() -> this.backend, tasks);
    text.addListener((obs, old, now) -> queryChanged(false));
    pathPattern.addListener((obs, old, now) -> queryChanged(false));
    image.addListener((obs, old, now) -> queryChanged(true));
    target.addListener((obs, old, now) -> queryChanged(true)); // results must match the switch
    folder.addListener((obs, old, now) -> queryChanged(true));
    label.addListener((obs, old, now) -> queryChanged(true));
    from.addListener((obs, old, now) -> queryChanged(true));
    to.addListener((obs, old, now) -> queryChanged(true));
  }

  /** A new query: the first page of its results, now or once typing pauses. */
  private void queryChanged(boolean now) {
    if (quiet) {
      return;
    }
    top.set(PAGE);
    if (now) {
      search();
    } else {
      searchSoon.run();
    }
  }

  public void setBackend(SearchBackend backend) {
    this.backend = backend;
  }

  /**
   * Searches with {@code chosen} from now on, in place of the text in the box (an image is not
   * silently combined with words typed earlier).
   */
  public CompletableFuture<Void> useImage(QueryImage chosen) {
    quiet = true;
    try {
      text.set("");
    } finally {
      quiet = false;
    }
    if (chosen != null && chosen.equals(image.get())) {
      return search();
    }
    image.set(chosen);
    return lastSearch; // the image's listener searched
  }

  /** Searches for a caption's words alone ("search with this caption"). */
  public CompletableFuture<Void> searchText(String words) {
    quiet = true;
    try {
      image.set(null);
      text.set(words);
    } finally {
      quiet = false;
    }
    top.set(PAGE);
    return search();
  }

  /** Asks for {@link #PAGE} more results of the same query. */
  public CompletableFuture<Void> showMore() {
    top.set(top.get() + PAGE);
    return search();
  }

  private CompletableFuture<Void> lastSearch = CompletableFuture.completedFuture(null);

  /**
   * Starts a search for the current text, image, target and filters in the search lane; its results
   * replace the previous ones unless a newer query was asked meanwhile.
   */
  public CompletableFuture<Void> search() {
    long ticket = ++asked;
    SearchFilter filter;
    try {
      filter = filter();
    } catch (IllegalArgumentException e) {
      busy.set(false);
      fail(Errors.message(e));
      return lastSearch = CompletableFuture.completedFuture(null);
    }
    SearchQuery query = new SearchQuery(text.get(), image.get(), target.get(), top.get(), filter);
    if (!query.hasText() && !query.hasImage()) {
      busy.set(false);
      failed.set(false);
      more.set(false);
      imageResults.clear();
      captionResults.clear();
      top.set(PAGE);
      status.set("Type what you are looking for, or drop an image.");
      return lastSearch = CompletableFuture.completedFuture(null);
    }
    busy.set(true);
    SearchBackend engine = backend;
    return lastSearch =
        tasks.search(
            () -> {
              if (ticket != asked) {
                skipped.incrementAndGet();
                return null; // overtaken before it started: not run at all
              }
              return engine.search(query);
            },
            outcome -> {
              if (ticket != asked || outcome == null) {
                return; // a newer query is on its way
              }
              busy.set(false);
              failed.set(false);
              imageResults.setAll(outcome.images());
              captionResults.setAll(outcome.captions());
              more.set(
                  outcome.images().size() >= query.top()
                          && outcome.images().size() < outcome.imagesSearched()
                      || outcome.captions().size() >= query.top()
                          && outcome.captions().size() < outcome.captionsSearched());
              status.set(describe(query, outcome));
            },
            failure -> {
              if (ticket != asked) {
                return;
              }
              busy.set(false);
              imageResults.clear();
              captionResults.clear();
              more.set(false);
              fail(Errors.message(failure));
            });
  }

  private void fail(String message) {
    failed.set(true);
    status.set(message);
  }

  /** The status line: how many of how many, for what, how fast. Never reads as a cap. */
  static String describe(SearchQuery query, SearchBackend.Outcome outcome) {
    boolean filtered = !query.filter().isEmpty();
    List<String> counts = new ArrayList<>();
    if (query.target().images()) {
      counts.add(
          count(outcome.images().size(), outcome.imagesSearched(), query.top(), "image", filtered));
    }
    if (query.target().captions()) {
      counts.add(
          count(
              outcome.captions().size(),
              outcome.captionsSearched(),
              query.top(),
              "caption",
              filtered));
    }
    StringBuilder said = new StringBuilder(counts.getFirst());
    for (String more : counts.subList(1, counts.size())) { // "… and best 200 of …"
      said.append(" and ").append(Character.toLowerCase(more.charAt(0))).append(more.substring(1));
    }
    return said
        + " for "
        + query.describe()
        + String.format(Locale.ROOT, " · %.1f ms", outcome.millis());
  }

  private static String count(int shown, long searched, int top, String noun, boolean filtered) {
    NumberFormat n = NumberFormat.getIntegerInstance(Locale.ROOT);
    String nouns = shown == 1 ? noun : noun + "s";
    if (shown == 0) {
      return "No " + noun + "s" + (filtered ? " match the filters" : "");
    }
    if (filtered) {
      return shown < top
          ? n.format(shown) + " " + nouns + " match the filters"
          : "Best " + n.format(shown) + " " + nouns + " matching the filters";
    }
    if (shown >= searched) {
      return "All " + n.format(shown) + " " + nouns;
    }
    return "Best " + n.format(shown) + " of " + n.format(searched) + " " + noun + "s";
  }

  /** The side panel's filters as the engine's; a date range that is empty is refused. */
  SearchFilter filter() {
    String glob = pathPattern.get() == null ? "" : pathPattern.get().strip();
    String labelName = label.get() == null ? "" : label.get().strip();
    ZoneId zone = ZoneId.systemDefault();
    return new SearchFilter(
        folder.get(),
        glob.isEmpty() ? null : glob,
        from.get() == null ? null : from.get().atStartOfDay(zone).toInstant(),
        to.get() == null ? null : to.get().plusDays(1).atStartOfDay(zone).toInstant(),
        labelName.isEmpty() ? null : labelName);
  }

  /** Clears every filter (one search afterwards). */
  public void clearFilters() {
    quiet = true; // one search, not one per field
    try {
      folder.set(null);
      pathPattern.set("");
      from.set(null);
      to.set(null);
      label.set("");
    } finally {
      quiet = false;
    }
    top.set(PAGE);
    search();
  }

  /** How many filters restrict the results now. */
  public int activeFilters() {
    int n = 0;
    n += folder.get() != null ? 1 : 0;
    n += pathPattern.get() != null && !pathPattern.get().isBlank() ? 1 : 0;
    n += from.get() != null || to.get() != null ? 1 : 0;
    n += label.get() != null && !label.get().isBlank() ? 1 : 0;
    return n;
  }

  /** Loads the folders and labels the filters offer. */
  public CompletableFuture<Void> refreshChoices() {
    SearchBackend engine = backend;
    return tasks.search(
        () -> new Choices(engine.folders(), engine.labels()),
        choices -> {
          folders.setAll(choices.folders());
          labels.setAll(choices.labels().keySet());
        },
        failure -> {});
  }

  private record Choices(List<Path> folders, Map<String, Integer> labels) {}

  /**
   * Writes the results on screen to {@code file} (CSV, or JSON for *.json): images, then captions,
   * exactly as shown. Runs as a job; the future gives the number of rows.
   */
  public CompletableFuture<Integer> export(Path file) {
    List<ResultCard> rows = shownRows();
    CompletableFuture<Integer> written = new CompletableFuture<>();
    tasks.run(
        () -> ResultsExport.write(file, rows), written::complete, written::completeExceptionally);
    return written;
  }

  /** The rows on screen, in order: images, then captions. */
  public List<ResultCard> shownRows() {
    List<ResultCard> rows = new ArrayList<>(imageResults.size() + captionResults.size());
    if (target.get().images()) {
      rows.addAll(imageResults);
    }
    if (target.get().captions()) {
      rows.addAll(captionResults);
    }
    return rows;
  }

  /** Queries that were skipped because a newer one was asked before they started. */
  public long skippedQueries() {
    return skipped.get();
  }

  public SearchBackend backend() {
    return backend;
  }

  /** The width of a result tile in pixels (bound to the Settings page's thumbnail size). */
  public IntegerProperty tileSizeProperty() {
    return tileSize;
  }

  public PreviewModel preview() {
    return preview;
  }

  public Thumbnails thumbnails() {
    return thumbnails;
  }

  public StringProperty textProperty() {
    return text;
  }

  public ObjectProperty<QueryImage> imageProperty() {
    return image;
  }

  public ObjectProperty<SearchQuery.Target> targetProperty() {
    return target;
  }

  public ObservableList<ResultCard> imageResults() {
    return imageResults;
  }

  public ObservableList<ResultCard> captionResults() {
    return captionResults;
  }

  public BooleanProperty busyProperty() {
    return busy;
  }

  /** Whether the status line reports a failure. */
  public BooleanProperty failedProperty() {
    return failed;
  }

  /** Whether more results than shown can be asked for. */
  public BooleanProperty moreProperty() {
    return more;
  }

  public StringProperty statusProperty() {
    return status;
  }

  public ObjectProperty<Path> folderProperty() {
    return folder;
  }

  public StringProperty pathPatternProperty() {
    return pathPattern;
  }

  public ObjectProperty<LocalDate> fromProperty() {
    return from;
  }

  public ObjectProperty<LocalDate> toProperty() {
    return to;
  }

  public StringProperty labelProperty() {
    return label;
  }

  public ObservableList<Path> folders() {
    return folders;
  }

  public ObservableList<String> labels() {
    return labels;
  }
}

package app.tessera.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import app.tessera.desktop.BackgroundTasks;
import app.tessera.desktop.LibrarySession;
import app.tessera.desktop.Workspace;
import app.tessera.desktop.search.QueryImage;
import app.tessera.desktop.search.ResultCard;
import app.tessera.desktop.search.SearchBackend;
import app.tessera.desktop.search.SearchQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job on a fresh machine: an empty library gets the shipped demo collection, the shipped
 * default model makes it searchable in all four directions, with no download.
 */
class FreshMachineTest {
  @TempDir Path dir;

  @Test
  void anEmptyLibraryBecomesTheSearchableDemo() throws Exception {
    List<String> progress = new ArrayList<>();
    try (Workspace workspace =
        new Workspace(
            new LibrarySession(dir.resolve("library.sqlite")), BackgroundTasks.sameThread())) {
      String status = workspace.open(progress::add);
      assertThat(status).startsWith("Demo library").contains("model tessera-default-emoji");
      assertThat(progress).contains("Adding the demo collection…", "Loading the model…");
      assertThat(workspace.search().imageCount()).isGreaterThan(100);

      SearchBackend.Outcome images =
          workspace.search().search(new SearchQuery("a dog", null, SearchQuery.Target.IMAGES, 10));
      assertThat(images.images()).hasSize(10);
      assertThat(
              workspace
                  .search()
                  .thumbnails(images.images().stream().mapToLong(ResultCard::itemId).toArray()))
          .hasSize(10)
          .allSatisfy((id, bytes) -> assertThat(bytes).isNotEmpty());
      assertThat(images.images())
          .allSatisfy(
              card -> {
                assertThat(card.path()).exists();
                assertThat(card.score()).isBetween(0.0, 1.0);
              });
      // The demo has captions: a text query matches their words and codes too, best score first,
      // and a dog comes first (the image codes alone put a horse and a cricket before the dogs).
      assertThat(images.images())
          .isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
      assertThat(images.images().getFirst().caption()).contains("dog");
      assertThat(images.images().getFirst().why()).contains("caption words");

      // The first result, dropped back in as a query image, finds itself at distance 0.
      ResultCard first = images.images().getFirst();
      SearchBackend.Outcome again =
          workspace
              .search()
              .search(
                  new SearchQuery(
                      null, new QueryImage.File(first.path()), SearchQuery.Target.IMAGES, 5));
      assertThat(again.images().getFirst().distance()).isZero();

      SearchBackend.Outcome captions =
          workspace
              .search()
              .search(
                  new SearchQuery(
                      null, new QueryImage.File(first.path()), SearchQuery.Target.CAPTIONS, 5));
      assertThat(captions.captions())
          .hasSize(5)
          .allSatisfy(c -> assertThat(c.caption()).isNotBlank());
    }
  }
}

package app.tessera.engine.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
  @TempDir Path dir;

  private void write(String manifest, boolean bom, String... images) throws IOException {
    for (String image : images) {
      Path file = dir.resolve(image);
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[] {1, 2, 3});
    }
    byte[] text = manifest.getBytes(StandardCharsets.UTF_8);
    if (bom) {
      byte[] withBom = new byte[text.length + 3];
      withBom[0] = (byte) 0xEF;
      withBom[1] = (byte) 0xBB;
      withBom[2] = (byte) 0xBF;
      System.arraycopy(text, 0, withBom, 3, text.length);
      text = withBom;
    }
    Files.write(dir.resolve(Dataset.MANIFEST), text);
  }

  @Test
  void readsQuotedFieldsBomSplitsAndLabelsInOrderOfAppearance() throws IOException {
    write(
        "id,image,caption,labels,split\r\n"
            + "a,img/a.png,\"cat, \"\"tabby\"\"\nsecond line\",animal;pet,train+database\r\n"
            + "b,img/b.png,dog,pet;animal,database\r\n"
            + "c,img/c.png,ünïcödé 🐱,,query\r\n",
        true,
        "img/a.png",
        "img/b.png",
        "img/c.png");
    Dataset dataset = Dataset.read(dir);
    assertThat(dataset.rows()).hasSize(3);
    DatasetRow a = dataset.rows().get(0);
    assertThat(a.id()).isEqualTo("a");
    assertThat(a.caption()).isEqualTo("cat, \"tabby\"\nsecond line");
    assertThat(a.image()).isEqualTo(dir.toAbsolutePath().normalize().resolve("img/a.png"));
    assertThat(dataset.labelNames()).containsExactly("animal", "pet");
    assertThat(dataset.rows().get(1).labels()).containsExactly(0, 1);
    assertThat(dataset.rows().get(2).labels()).isEmpty();
    assertThat(dataset.rows().get(2).caption()).isEqualTo("ünïcödé 🐱");
    assertThat(dataset.queryRows()).extracting(DatasetRow::id).containsExactly("c");
    assertThat(dataset.databaseRows()).extracting(DatasetRow::id).containsExactly("a", "b");
    assertThat(dataset.trainingRows()).extracting(DatasetRow::id).containsExactly("a");
    assertThat(dataset.labelMatrix(dataset.rows())[2]).containsExactly(0f, 0f);
    assertThat(Dataset.read(dir.resolve(Dataset.MANIFEST)).fingerprint())
        .isEqualTo(dataset.fingerprint());
  }

  @Test
  void acceptsColumnsInAnyOrderWithoutBom() throws IOException {
    write("split,labels,caption,image,id,extra\ndatabase,x,cap,i.png,1,ignored\n", false, "i.png");
    Dataset dataset = Dataset.read(dir);
    assertThat(dataset.rows().get(0).caption()).isEqualTo("cap");
    assertThat(dataset.rows().get(0).split()).isEqualTo(Split.DATABASE);
  }

  @Test
  void reportsEveryBadRowWithItsLine() throws IOException {
    write(
        "id,image,caption,labels,split\n"
            + "ok,i.png,fine,,query\n"
            + "ok,i.png,duplicate id,,query\n"
            + "m,missing.png,no file,,query\n"
            + "s,i.png,bad split,,test\n"
            + "e,i.png,,,query\n"
            + "t,../i.png,escape,,query\n"
            + "short,i.png\n",
        false,
        "i.png");
    assertThatThrownBy(() -> Dataset.read(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("line 3: duplicate id 'ok'")
        .hasMessageContaining("line 4: row 'm': image file not found: missing.png")
        .hasMessageContaining("line 5: row 's': unknown split 'test'")
        .hasMessageContaining("line 6: row 'e': empty caption")
        .hasMessageContaining("line 7: row 't': image path must be inside the dataset folder")
        .hasMessageContaining("line 8: expected 5 fields, found 2");
  }

  @Test
  void refusesMissingColumnsEmptyManifestsAndMissingFolders() throws IOException {
    assertThatThrownBy(() -> Dataset.read(dir.resolve("nope")))
        .hasMessageContaining("no such directory");
    assertThatThrownBy(() -> Dataset.read(dir)).hasMessageContaining("no manifest.csv");
    write("id,image,caption,split\n", false);
    assertThatThrownBy(() -> Dataset.read(dir)).hasMessageContaining("missing labels");
    write("id,image,caption,labels,split\n", false);
    assertThatThrownBy(() -> Dataset.read(dir)).hasMessageContaining("no rows");
    Files.write(dir.resolve(Dataset.MANIFEST), new byte[] {(byte) 0xC3, (byte) 0x28});
    assertThatThrownBy(() -> Dataset.read(dir)).hasMessageContaining("not UTF-8");
  }

  @Test
  void validationHoldsOutWholeCaptionGroupsDeterministically() throws IOException {
    StringBuilder manifest = new StringBuilder("id,image,caption,labels,split\n");
    for (int i = 0; i < 200; i++) {
      // Two rows per caption, like one emoji drawn in two styles.
      manifest.append("r").append(i).append(",i.png,caption ").append(i / 2).append(",,");
      manifest.append(i % 10 == 0 ? "query" : "train+database").append('\n');
    }
    write(manifest.toString(), false, "i.png");
    Dataset dataset = Dataset.read(dir);
    Dataset.TrainValidation split = dataset.holdOutValidation(0.1, 42);
    assertThat(split.train().size() + split.validation().size())
        .isEqualTo(dataset.trainingRows().size());
    assertThat(split.validation().size()).isBetween(16, 20);
    Set<String> trainCaptions = new HashSet<>();
    split.train().forEach(r -> trainCaptions.add(r.caption()));
    assertThat(split.validation()).noneMatch(r -> trainCaptions.contains(r.caption()));
    assertThat(split.validation()).noneMatch(r -> r.split() == Split.QUERY);
    List<String> again =
        dataset.holdOutValidation(0.1, 42).validation().stream().map(DatasetRow::id).toList();
    assertThat(split.validation()).extracting(DatasetRow::id).isEqualTo(again);
    assertThat(dataset.holdOutValidation(0.1, 43).validation())
        .extracting(DatasetRow::id)
        .isNotEqualTo(again);
  }
}

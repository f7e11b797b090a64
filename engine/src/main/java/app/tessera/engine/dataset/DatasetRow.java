package app.tessera.engine.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * One image-caption pair of a dataset folder.
 *
 * @param index position of the row in the manifest (0-based, header excluded)
 * @param id the row's unique id
 * @param image absolute path of the image file
 * @param caption the caption
 * @param labels indices into {@link Dataset#labelNames()}, ascending (empty when unlabelled)
 * @param split where the row is used
 */
public record DatasetRow(
    int index, String id, Path image, String caption, int[] labels, Split split) {

  /** The row's labels as a multi-hot vector over {@code labelCount} labels. */
  public float[] multiHot(int labelCount) {
    float[] row = new float[labelCount];
    for (int label : labels) {
      row[label] = 1f;
    }
    return row;
  }

  /** Label names of this row, for display. */
  public List<String> labelNames(Dataset dataset) {
    return java.util.Arrays.stream(labels).mapToObj(dataset.labelNames()::get).toList();
  }
}

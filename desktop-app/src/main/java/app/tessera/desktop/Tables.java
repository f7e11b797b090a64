package app.tessera.desktop;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableColumn;

/** Small helpers for the read-only tables of the pages. */
public final class Tables {
  private Tables() {}

  /** A column showing {@code value} of each row as text. */
  public static <R> TableColumn<R, String> textColumn(
      String title, double width, Function<R, String> value) {
    TableColumn<R, String> column = new TableColumn<>(title);
    column.setPrefWidth(width);
    column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
    return column;
  }
}

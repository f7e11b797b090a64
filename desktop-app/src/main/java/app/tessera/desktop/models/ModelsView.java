package app.tessera.desktop.models;

import app.tessera.desktop.Tables;
import app.tessera.engine.api.ModelInfo;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The models page: a table of the library's models and a button to search with one. */
public final class ModelsView {
  private final VBox root;

  public ModelsView(ModelsViewModel model, Node heading) {
    TableView<ModelInfo> table = new TableView<>(model.models());
    table.setId("models");
    table.setPlaceholder(new Label("No model has coded this library yet."));
    table.getColumns().add(Tables.textColumn("Name", 260, ModelInfo::name));
    table.getColumns().add(Tables.textColumn("Active", 60, m -> m.active() ? "yes" : ""));
    table.getColumns().add(Tables.textColumn("Method", 110, ModelInfo::method));
    table.getColumns().add(Tables.textColumn("Bits", 60, m -> Integer.toString(m.bits())));
    table.getColumns().add(Tables.textColumn("Image encoder", 240, ModelInfo::imageEncoder));
    table.getColumns().add(Tables.textColumn("Data", 300, ModelInfo::data));
    VBox.setVgrow(table, Priority.ALWAYS);

    Button use = new Button("Search with this model");
    use.setId("use-model");
    use.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
    use.setOnAction(e -> model.use(table.getSelectionModel().getSelectedItem()));
    Button refresh = new Button("Refresh");
    refresh.setOnAction(e -> model.refresh());
    Label status = new Label();
    status.setId("models-status");
    status.textProperty().bind(model.statusProperty());
    HBox actions = new HBox(8, use, refresh, status);
    actions.setAlignment(Pos.CENTER_LEFT);

    root = new VBox(12, heading, actions, table);
    root.setId("page-models");
    root.setPadding(new Insets(16));
  }

  public Node root() {
    return root;
  }
}

package app.tessera.engine.api;

import java.nio.file.Path;

/**
 * A model trained on a library's own captioned images.
 *
 * @param bundleDir the new model bundle (the base bundle's image encoder and the new hashing model)
 * @param model the new model, registered in the library and made active once every item is coded
 *     with it ({@code coding.remaining() == 0})
 * @param pairs image-caption pairs trained and validated on
 * @param labels distinct labels (0 for a label-free method on unlabelled data)
 * @param coding what coding the library with the new model did
 */
public record TrainingReport(
    Path bundleDir, ModelInfo model, int pairs, int labels, CodingReport coding) {}

package app.tessera.engine.api;

import java.nio.file.Path;

/**
 * A model trained on a dataset folder's training rows.
 *
 * @param reused whether it came from the model cache (same settings and data) instead of training
 * @param validationScore mean image→text and text→image mAP@all on the validation hold-out
 * @param modelFolder the cached model's folder
 * @param saved where {@code --save} wrote it, or null
 * @param savedBundle whether {@code saved} is a full bundle (image encoder + hashing model) or only
 *     the hashing model (features that did not come from Tessera's own encoders)
 */
public record DatasetTraining(
    String method,
    int bits,
    boolean reused,
    double validationScore,
    int validationRows,
    Path modelFolder,
    Path saved,
    boolean savedBundle) {}

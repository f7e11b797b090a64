package app.tessera.engine.api;

import java.nio.file.Path;

/**
 * A hashing model registered in a library (its codes are stored there).
 *
 * @param bundleDir the model bundle's folder, or null when it has none (e.g. an evaluation model)
 * @param data what it was trained on
 * @param active whether searches use it by default
 */
public record ModelInfo(
    long id,
    String name,
    String method,
    int bits,
    String imageEncoder,
    String textEncoder,
    String data,
    Path bundleDir,
    boolean active) {}

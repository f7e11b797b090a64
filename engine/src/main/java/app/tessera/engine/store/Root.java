package app.tessera.engine.store;

import app.tessera.engine.RootState;
import java.nio.file.Path;

/** A registered root folder (absolute, normalised) and its state. */
public record Root(long id, Path path, RootState state) {}

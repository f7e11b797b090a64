package app.tessera.engine.store;

import app.tessera.engine.RootState;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A registered root folder (absolute, normalised) and its state.
 *
 * @param lastScan when a scan of it last finished, or null when none has
 */
public record Root(long id, Path path, RootState state, Instant lastScan) {}

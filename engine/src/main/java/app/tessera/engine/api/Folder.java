package app.tessera.engine.api;

import app.tessera.engine.RootState;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A folder of the library (a root) as front ends list it.
 *
 * @param files the files it holds (present or offline; missing ones are not counted)
 * @param failed of those, the files that could not be indexed ({@link Library#failures})
 * @param missing files that vanished from it, kept until {@link Library#prune}
 * @param lastScan when a scan of it last finished, or null when none has
 */
public record Folder(
    Path path, RootState state, int files, int failed, int missing, Instant lastScan) {}

package app.tessera.engine.api;

import app.tessera.engine.RootState;
import java.nio.file.Path;

/**
 * A folder of the library (a root) as front ends list it.
 *
 * @param files the files it holds (present or offline; missing ones are not counted)
 */
public record Folder(Path path, RootState state, int files) {}

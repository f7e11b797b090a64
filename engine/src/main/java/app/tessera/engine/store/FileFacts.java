package app.tessera.engine.store;

/**
 * What a scan sees of a library file without reading it: where it is, its size and modification
 * time, and a stamp of its sidecars (their names, sizes and times).
 */
public record FileFacts(long rootId, String relPath, long size, long mtimeNs, long sidecarStamp) {}

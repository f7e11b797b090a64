package app.tessera.engine.store;

/** A label with its source (xmp, iptc, csv, folder or user). */
public record NewLabel(String source, String name) {}

package app.tessera.engine.ingest;

import app.tessera.engine.store.NewCaption;
import app.tessera.engine.store.NewLabel;
import java.util.List;

/**
 * What a file says about itself besides its pixels: captions and labels, each with its source.
 *
 * @param captions file-derived captions (sidecar, XMP, IPTC, EXIF), without duplicates
 * @param labels labels with their source (xmp, iptc, folder)
 */
public record Extracted(List<NewCaption> captions, List<NewLabel> labels) {}

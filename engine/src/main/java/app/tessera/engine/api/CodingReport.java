package app.tessera.engine.api;

/**
 * What bringing a library's codes up to date for one model did.
 *
 * @param model the model's name
 * @param imagesEncoded images whose features had to be computed (the others were cached)
 * @param captionsEncoded captions whose features had to be computed
 * @param coded items (images and captions) that got a code
 * @param removed codes of items that no longer exist, removed
 * @param remaining items still without a code (left when the job was cancelled)
 * @param seconds wall-clock time
 */
public record CodingReport(
    String model,
    int imagesEncoded,
    int captionsEncoded,
    int coded,
    int removed,
    int remaining,
    double seconds) {}

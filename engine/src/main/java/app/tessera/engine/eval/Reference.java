package app.tessera.engine.eval;

import app.tessera.engine.metrics.RetrievalMetrics;

/**
 * What the codes of one direction are compared with: the same features ranked by float cosine (the
 * no-hashing ceiling; {@code null} when image and text features differ in length and so share no
 * space) and a random ranking (chance).
 */
public record Reference(
    Direction direction, RetrievalMetrics floatCosine, RetrievalMetrics chance) {}

package io.sparksweep.results;

/**
 * The training images a sweep holds out to choose on, as its {@code sweeps} row records them: how many (every
 * selected training image once, for folds) and a SHA-256 of their indices, fold by fold.
 */
public record HeldOut(int images, String sha256) {
}

package io.sparksweep.spec;

import java.util.Locale;

/**
 * Where a sweep's configurations come from: every point of the grids, {@code trials} points drawn at random up
 * front, or proposed one at a time by a Tree-structured Parzen Estimator that learns from the results so far.
 * {@code halving} is the older spelling of a grid (or random draws) with {@code scheduler: asha}.
 */
public enum SearchMethod {
    GRID, RANDOM, HALVING, TPE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.sparksweep.spec;

/**
 * How a sweep picks and runs its trials: every point of the grids, {@code trials} points drawn at random, or
 * asynchronous successive halving over either (grid points, or random draws when {@code trials} is given).
 */
public enum SearchMethod {
    GRID, RANDOM, HALVING;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

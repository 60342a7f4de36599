package io.sparksweep.spec;

/** How a sweep picks its trials: every point of the grids, or {@code trials} points drawn at random. */
public enum SearchMethod {
    GRID, RANDOM;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

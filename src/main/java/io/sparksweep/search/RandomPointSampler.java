package io.sparksweep.search;

import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Independent uniform draws from the space (log-uniform where a dimension is logarithmic), never a point tried
 * before; empty when a finite space has no untried point left. Seeded per ask (see {@link #randomFor}).
 */
public final class RandomPointSampler implements Sampler {
    /** Draws before a finite space counts as exhausted by chance rather than by size. */
    private static final int ATTEMPTS = 1000;

    private final SearchSpace space;
    private final long seed;

    public RandomPointSampler(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
    }

    @Override
    public Optional<Point> ask(History history) {
        return untried(space, randomFor(seed, history), history.points());
    }

    @Override
    public boolean learns() {
        return false;
    }

    /**
     * The random numbers for one ask: a function of the sampler's seed and how many trials the history holds, so
     * that a resumed sweep, given the history an uninterrupted one had, asks and gets the same points.
     */
    static Random randomFor(long seed, History history) {
        // mixed (SplitMix64's finalizer): java.util.Random's first numbers from nearby seeds are nearly the same,
        // and consecutive asks differ by one in history size
        long z = seed * 0x9E3779B97F4A7C15L + history.size() * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    /** A uniformly drawn point outside {@code tried}. */
    static Optional<Point> untried(SearchSpace space, Random random, Set<Point> tried) {
        long size = space.size();
        if (size >= 0 && tried.size() >= size) {
            return Optional.empty();
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Point point = space.draw(random);
            if (!tried.contains(point)) {
                return Optional.of(point);
            }
        }
        return Optional.empty();
    }
}

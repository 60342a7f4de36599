package io.sparksweep.search;

import java.util.Optional;

/**
 * Proposes the next point to try, from everything the history holds (finished trials with their values, trials
 * in flight): Optuna's sampler, Ray Tune's Searcher. A sampler is told results by reading the history it is
 * given; it keeps no state a resumed sweep would have to rebuild, beyond its seeded random numbers.
 */
public interface Sampler {
    /** The next point, or empty when there is none left to propose (a grid that is done). */
    Optional<Point> ask(History history);

    /**
     * Whether the points it proposes depend on results (TPE) rather than being fixed in advance (a grid, random
     * draws): an executor may then start several of them before any finishes without changing what is tried.
     */
    default boolean learns() {
        return true;
    }
}

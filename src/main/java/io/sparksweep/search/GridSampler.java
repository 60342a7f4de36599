package io.sparksweep.search;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The points of a grid in order, each once: the first not in the history yet. */
public final class GridSampler implements Sampler {
    private final List<Point> points;
    /**
     * Points before this one are all in the history (which only grows): a sweep of thousands of trials asks once
     * per trial, and each ask looks at the points from here on, not at the whole grid again.
     */
    private int tried;

    public GridSampler(List<Point> points) {
        this.points = List.copyOf(points);
    }

    @Override
    public Optional<Point> ask(History history) {
        Set<Point> inHistory = history.points();
        while (tried < points.size() && inHistory.contains(points.get(tried))) {
            tried++;
        }
        return tried < points.size() ? Optional.of(points.get(tried)) : Optional.empty();
    }

    @Override
    public boolean learns() {
        return false;
    }
}

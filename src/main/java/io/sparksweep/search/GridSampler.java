package io.sparksweep.search;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The points of a grid in order, each once: the first not in the history yet. */
public final class GridSampler implements Sampler {
    private final List<Point> points;

    public GridSampler(List<Point> points) {
        this.points = List.copyOf(points);
    }

    @Override
    public Optional<Point> ask(History history) {
        Set<Point> tried = history.points();
        return points.stream().filter(p -> !tried.contains(p)).findFirst();
    }
}

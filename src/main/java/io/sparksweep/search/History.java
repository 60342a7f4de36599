package io.sparksweep.search;

import io.sparksweep.train.TrialStatus;
import io.sparksweep.spec.MetricSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Every trial of a sweep so far, finished, running or paused, in the order they started: what samplers learn from
 * and schedulers compare against. Values are compared as scores, higher is better whatever the metric's goal, and
 * a missing or non-finite value scores worst.
 */
public final class History {
    private final MetricSpec.Goal goal;
    private final Map<String, FrozenTrial> trials = new LinkedHashMap<>();
    /** The points of {@link #trials}, kept as they are added: a grid asks for them before each of its trials. */
    private final Set<Point> points = new HashSet<>();

    public History(MetricSpec.Goal goal) {
        this.goal = goal;
    }

    public MetricSpec.Goal goal() {
        return goal;
    }

    /** Adds a trial an earlier run of the sweep stored (resume), after those restored before it. */
    public void restore(FrozenTrial trial) {
        put(trial);
    }

    /** Adds or replaces the trial's snapshot. */
    void put(FrozenTrial trial) {
        trials.put(trial.id(), trial);
        points.add(trial.point());
    }

    public FrozenTrial get(String id) {
        return trials.get(id);
    }

    public List<FrozenTrial> trials() {
        return new ArrayList<>(trials.values());
    }

    public int size() {
        return trials.size();
    }

    public List<FrozenTrial> inState(TrialStatus state) {
        return trials.values().stream().filter(t -> t.state() == state).toList();
    }

    /** The points tried so far, whatever became of them. */
    public Set<Point> points() {
        return Collections.unmodifiableSet(points);
    }

    /** Higher is better; null, NaN and infinities score worst. */
    public double score(Double value) {
        return goal.score(value);
    }

    /** The trials that ended as planned with a final value (completed or stopped early), in start order. */
    public List<FrozenTrial> completed() {
        return trials.values().stream().filter(t -> t.state().completed()).toList();
    }

    /** The best final value of any completed trial. */
    public OptionalDouble best() {
        return trials.values().stream().filter(t -> t.state().completed())
                .map(FrozenTrial::lastValue).filter(v -> v != null && Double.isFinite(v))
                .max(Comparator.comparingDouble(this::score)).map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }
}

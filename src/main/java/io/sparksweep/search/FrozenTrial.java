package io.sparksweep.search;

import io.sparksweep.train.TrialStatus;

import java.util.List;

/**
 * A snapshot of one trial, as samplers and schedulers see it (Optuna's FrozenTrial): its point and seed, the
 * metric after each epoch trained so far ({@code values.get(e - 1)} is epoch e; NaN where it was not finite), and
 * its state. {@code number} counts trials in the order they were started.
 */
public record FrozenTrial(String id, int number, Point point, long seed, TrialStatus state, List<Double> values,
        double seconds) {
    public FrozenTrial {
        values = List.copyOf(values);
    }

    public int epochs() {
        return values.size();
    }

    /** The metric after {@code epoch}, or null when the trial has not trained that far. */
    public Double valueAt(int epoch) {
        return epoch >= 1 && epoch <= values.size() ? values.get(epoch - 1) : null;
    }

    public Double lastValue() {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    FrozenTrial with(TrialStatus newState, List<Double> newValues, double newSeconds) {
        return new FrozenTrial(id, number, point, seed, newState, newValues, newSeconds);
    }
}

package io.sparksweep.search;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Median stopping (Optuna's MedianPruner, Ray Tune's MedianStoppingRule): after {@code graceEpochs}, a trial whose
 * value at epoch e is worse than the median of the completed trials' values at e stops there, once at least
 * {@code minTrials} trials have completed. Applied inside the stretch, epoch by epoch, with the medians known when
 * the trial was submitted.
 */
public final class MedianScheduler implements Scheduler {
    private final ToIntFunction<FrozenTrial> epochs;
    private final int graceEpochs;
    private final int minTrials;

    /** Every trial trains {@code maxEpochs} unless stopped. */
    public MedianScheduler(int maxEpochs, int graceEpochs, int minTrials) {
        this(t -> maxEpochs, graceEpochs, minTrials);
    }

    /** @param epochs each trial's planned epochs */
    public MedianScheduler(ToIntFunction<FrozenTrial> epochs, int graceEpochs, int minTrials) {
        this.epochs = epochs;
        this.graceEpochs = graceEpochs;
        this.minTrials = minTrials;
    }

    @Override
    public Stretch next(FrozenTrial trial, History history) {
        int maxEpochs = epochs.applyAsInt(trial);
        List<FrozenTrial> completed = history.completed();
        if (completed.size() < minTrials) {
            return new Stretch(maxEpochs, null);
        }
        double[] medians = new double[maxEpochs];
        for (int e = 1; e <= maxEpochs; e++) {
            int epoch = e;
            double[] scores = completed.stream().filter(t -> t.epochs() >= epoch)
                    .mapToDouble(t -> history.score(t.valueAt(epoch))).sorted().toArray();
            medians[e - 1] = scores.length == 0 ? Double.NEGATIVE_INFINITY : median(scores);
        }
        return new Stretch(maxEpochs, new BelowMedian(graceEpochs, medians));
    }

    @Override
    public Decision decide(FrozenTrial trial, History history) {
        return Decision.COMPLETE;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Stops after epoch e (past the grace period) when the score there is below the median recorded for e. */
    record BelowMedian(int graceEpochs, double[] medians) implements StopRule {
        @Override
        public String stopAfter(List<Double> scores) {
            int epoch = scores.size();
            if (epoch <= graceEpochs || epoch > medians.length) {
                return null;
            }
            double score = scores.get(epoch - 1);
            return score < medians[epoch - 1] ? "below the median of completed trials at epoch " + epoch : null;
        }
    }
}

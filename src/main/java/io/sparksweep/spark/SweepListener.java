package io.sparksweep.spark;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.train.TrialResult;

/** Hears about a sweep's progress on the driver (called from scheduler threads, one call at a time). */
public interface SweepListener {
    default void trialStarted(TrialConfig trial) {
    }

    /** Halving: a trial reached a rung among the best there and trains on (its rows so far are durable). */
    default void trialPromoted(TrialResult soFar, int epoch) {
    }

    /** A trial's rows are durable; {@code done} of {@code total} trials have finished. */
    default void trialFinished(TrialResult result, int done, int total) {
    }
}

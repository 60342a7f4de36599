package io.sparksweep.search;

/**
 * Decides how far each trial trains: Optuna's pruner, Ray Tune's TrialScheduler. A trial trains in stretches; the
 * scheduler says where the next one ends and what may stop it early inside, and, when it ends as planned, whether
 * the trial goes on, stops (pruned) or is complete. Every value it compares is on the trials in the history, so a
 * resumed sweep needs no state rebuilt.
 */
public interface Scheduler {
    enum Decision { CONTINUE, STOP, COMPLETE }

    /** The next stretch of {@code trial}, which has trained {@code trial.epochs()} epochs. */
    Stretch next(FrozenTrial trial, History history);

    /** {@code trial} has trained to the end of its stretch (the epoch {@link #next} gave). */
    Decision decide(FrozenTrial trial, History history);

    /** @param rule may stop the stretch after any of its epochs; null for none */
    record Stretch(int toEpoch, StopRule rule) {
    }
}

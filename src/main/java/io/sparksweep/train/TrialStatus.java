package io.sparksweep.train;

/** How a trial ended. A trial that did not complete is still a result row: a failure is data, not an abort. */
public enum TrialStatus {
    COMPLETED,
    /** The trial threw (including running out of memory); {@code error} says what. */
    FAILED,
    /** The loss became NaN or infinite; {@code error} says at which epoch and batch. */
    DIVERGED,
    /** The trial ran longer than the sweep's {@code timeout}; the epochs it finished are kept. */
    TIMED_OUT,
    /** The metric stopped improving (the sweep's {@code early_stopping}); metrics are those of the last epoch. */
    STOPPED_EARLY,
    /** Halving: the trial reached a rung in the top 1/eta and trains on from its checkpoint (not final yet). */
    PROMOTED,
    /** Halving: the trial reached a rung outside the top 1/eta of the trials there, and stopped. */
    PRUNED;

    /** Whether the trial went wrong (it failed, diverged or timed out), as opposed to ending as planned. */
    public boolean isFailure() {
        return this == FAILED || this == DIVERGED || this == TIMED_OUT;
    }

    /** Whether running the trial again would give the same answer (so resume skips it). */
    public boolean isFinal() {
        return this == COMPLETED || this == DIVERGED || this == STOPPED_EARLY || this == PRUNED;
    }
}

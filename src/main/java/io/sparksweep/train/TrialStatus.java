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
    STOPPED_EARLY;

    /** Whether running the trial again would give the same answer (so resume skips it). */
    public boolean isFinal() {
        return this == COMPLETED || this == DIVERGED || this == STOPPED_EARLY;
    }
}

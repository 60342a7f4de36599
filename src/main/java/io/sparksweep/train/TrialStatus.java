package io.sparksweep.train;

/**
 * Where a trial is in its life, from its first stretch to its row: the one state the search loop, the samplers,
 * the schedulers and the {@code trials} table share. A trial that did not complete is still a result row: a
 * failure is data, not an abort.
 */
public enum TrialStatus {
    /** Training a stretch now (never written as a row). */
    RUNNING,
    COMPLETED,
    /** The trial threw (including running out of memory); {@code error} says what. */
    FAILED,
    /** The loss became NaN or infinite; {@code error} says at which epoch and batch. */
    DIVERGED,
    /** The trial ran longer than the sweep's {@code timeout}; the epochs it finished are kept. */
    TIMED_OUT,
    /** The metric stopped improving (the sweep's {@code early_stopping}); metrics are those of the last epoch. */
    STOPPED_EARLY,
    /**
     * A scheduler let the trial go on past a rung: it waits, with a checkpoint, for a slot to train its next
     * stretch (not final yet).
     */
    PROMOTED,
    /** A scheduler stopped the trial: outside the top 1/eta at a rung, or below the median. */
    PRUNED;

    /** Whether the trial went wrong (it failed, diverged or timed out), as opposed to ending as planned. */
    public boolean isFailure() {
        return this == FAILED || this == DIVERGED || this == TIMED_OUT;
    }

    /** Whether running the trial again would give the same answer (so resume skips it). */
    public boolean isFinal() {
        return this == COMPLETED || this == DIVERGED || this == STOPPED_EARLY || this == PRUNED;
    }

    /** Whether it ended as planned with its final value: what samplers learn from and budgets' targets count. */
    public boolean completed() {
        return this == COMPLETED || this == STOPPED_EARLY;
    }
}

package io.sparksweep.spark;

/**
 * How many stretches one Spark job trains, one after another in its task. A job has a fixed cost on the driver
 * (submission, closure cleaning, task serialisation, scheduling, its result and listener events: tens of ms of CPU),
 * which is nothing next to a trial of minutes and most of the work for a trial of 20 ms. So stretches go one per job
 * until the sweep has seen how long they take, then as many per job as fill about {@link #JOB_SECONDS}, at most
 * {@link #MOST}: a slot is held no longer than that, so no trial waits long behind a pack, and the driver's cost per
 * trial falls by the pack's size. Only where the order of results cannot change what is tried next (a grid, random
 * draws: not TPE) and every job is one trial's (not folds).
 */
final class Packing {
    /** About how long a job of packed stretches trains. */
    static final double JOB_SECONDS = 1.0;
    /** The most stretches one job trains. */
    static final int MOST = 32;
    /** Weight of the newest stretch in the running mean: a sweep's later, longer trials (more epochs) count soon. */
    private static final double WEIGHT = 0.2;

    private final boolean allowed;
    private double meanSeconds = Double.NaN;

    /** @param allowed whether stretches may share a job at all (otherwise {@link #size} is always 1) */
    Packing(boolean allowed) {
        this.allowed = allowed;
    }

    /** A stretch took {@code seconds} to train. */
    void observed(double seconds) {
        meanSeconds = Double.isNaN(meanSeconds) ? seconds : (1 - WEIGHT) * meanSeconds + WEIGHT * seconds;
    }

    /** Stretches the next job trains. */
    int size() {
        if (!allowed || Double.isNaN(meanSeconds)) {
            return 1;
        }
        return (int) Math.max(1, Math.min(MOST, Math.floor(JOB_SECONDS / Math.max(meanSeconds, 1e-3))));
    }
}

package io.sparksweep.search;

import io.sparksweep.train.TrialStatus;

import java.util.List;

/**
 * Where stretches of trials train: Spark tasks, this JVM, or a table of recorded results. The loop submits no more
 * stretches than the executor's {@link #capacity} and takes their completions one at a time, in the order the
 * executor reports them.
 */
public interface TrialExecutor {
    /** Trains {@code trial} from its {@code trial.epochs()} epochs (its checkpoint) to {@code toEpoch}. */
    void submit(FrozenTrial trial, Scheduler.Stretch stretch);

    /**
     * How many stretches the loop may keep in flight when {@code slots} train at once: more when the executor runs
     * several short stretches one after another in a slot (see {@code SparkTrialExecutor}).
     */
    default int capacity(int slots) {
        return slots;
    }

    /** The next stretch to finish; blocks until one has. */
    Completion take();

    /** Seconds since the sweep began, on this executor's clock (simulated for recorded results). */
    double now();

    /**
     * A finished stretch: the metric after each epoch it trained, how long it took, and how it ended before its
     * planned epoch, if it did: {@code ended} is PRUNED or STOPPED_EARLY (a rule stopped it), FAILED, DIVERGED or
     * TIMED_OUT, with {@code note} saying why; null when it reached that epoch, where the scheduler decides.
     */
    record Completion(String trialId, List<Double> values, double seconds, TrialStatus ended, String note) {
        public Completion {
            values = List.copyOf(values);
        }
    }
}

package io.sparksweep.search;

import java.util.List;

/**
 * Where stretches of trials train: Spark tasks, this JVM, or a table of recorded results. The loop submits no more
 * stretches than it has slots and takes their completions one at a time, in the order the executor reports them.
 */
public interface TrialExecutor {
    /** Trains {@code trial} from its {@code trial.epochs()} epochs (its checkpoint) to {@code toEpoch}. */
    void submit(FrozenTrial trial, Scheduler.Stretch stretch);

    /** The next stretch to finish; blocks until one has. */
    Completion take();

    /** Seconds since the sweep began, on this executor's clock (simulated for recorded results). */
    double now();

    /**
     * A finished stretch: the metric after each epoch it trained, how long it took, and why it ended before its
     * planned epoch ({@code stopped}: its stop rule's reason; {@code failure}: an error), both null when it
     * reached it.
     */
    record Completion(String trialId, List<Double> values, double seconds, String stopped, String failure) {
        public Completion {
            values = List.copyOf(values);
        }
    }
}

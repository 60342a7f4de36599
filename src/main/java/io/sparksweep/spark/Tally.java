package io.sparksweep.spark;

import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the driver keeps of the trials a run finished: how many ended in each status and how long they trained,
 * not the results themselves (their rows are in the output), so its memory does not grow with the sweep.
 */
public final class Tally {
    private final Map<TrialStatus, Long> counts = new EnumMap<>(TrialStatus.class);
    private double busySeconds;

    synchronized int add(TrialResult result) {
        counts.merge(result.status(), 1L, Long::sum);
        busySeconds += Duration.between(result.startedAt(), result.finishedAt()).toNanos() / 1e9;
        return total();
    }

    public synchronized int total() {
        return (int) counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Trials by final status, in the enum's order; statuses no trial ended in are absent. */
    public synchronized Map<TrialStatus, Long> counts() {
        return new EnumMap<>(counts);
    }

    public synchronized long count(TrialStatus status) {
        return counts.getOrDefault(status, 0L);
    }

    /** Trials that failed (see {@link TrialStatus#isFailure()}). */
    public synchronized long failed() {
        return counts.entrySet().stream().filter(e -> e.getKey().isFailure()).mapToLong(Map.Entry::getValue).sum();
    }

    /** The trials' summed wall time from start to finish, in seconds. */
    public synchronized double busySeconds() {
        return busySeconds;
    }
}

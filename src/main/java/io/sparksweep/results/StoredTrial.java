package io.sparksweep.results;

/** What the {@code trials} table already holds for a trial of a sweep: enough to decide whether to run it again. */
public record StoredTrial(String trialId, String status, String config) {
}

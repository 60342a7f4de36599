package io.sparksweep.results;

import io.sparksweep.train.TrialStatus;

import java.time.Instant;

/**
 * What the {@code trials} table already holds for a trial of a sweep: enough to decide whether to run it again,
 * and, for a halving trial that was promoted, to continue it.
 */
public record StoredTrial(String trialId, TrialStatus status, String config, Integer epochsTrained, double trainSeconds,
        Instant startedAt, Instant finishedAt, String dataChecksum) {

    /** False only when the row records other data than {@code checksum} (rows of older releases record none). */
    public boolean trainedOn(String checksum) {
        return dataChecksum == null || dataChecksum.equals(checksum);
    }
}

package io.sparksweep.spark;

import io.sparksweep.grid.TrialGroup;
import io.sparksweep.train.TrialTrainer;

import java.io.Serializable;

/**
 * What one Spark task trains: a group of trials sharing one run to its longest epoch count, or (halving) one trial
 * from a checkpoint (null: from scratch) up to {@code toEpoch}.
 */
record TrialWork(TrialGroup group, TrialTrainer.Checkpoint from, Integer toEpoch) implements Serializable {
    static TrialWork whole(TrialGroup group) {
        return new TrialWork(group, null, null);
    }

    boolean segment() {
        return toEpoch != null;
    }
}

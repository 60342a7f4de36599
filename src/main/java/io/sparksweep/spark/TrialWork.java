package io.sparksweep.spark;

import io.sparksweep.grid.TrialGroup;
import io.sparksweep.search.StopRule;
import io.sparksweep.train.TrialTrainer;

import java.io.Serializable;
import java.util.List;

/**
 * What one Spark task trains: a stretch of a group of trials sharing one run (trials that differ only in epochs),
 * from a checkpoint ({@code from}; null: from scratch) up to {@code toEpoch}.
 *
 * @param keepCheckpoint return the network's state at {@code toEpoch}, since the trial may continue
 * @param rule may stop the stretch after an epoch (null: none); it sees the scores of {@code priorValues} (the
 *        metric after each epoch trained before {@code from}) followed by this stretch's
 * @param fold the fold held out, for a cross-validated sweep (0 otherwise)
 * @param keepModelsAbove send back the network of each trial whose score beats this (see
 *        {@link TrialTrainer#keepModelsAbove})
 */
record TrialWork(TrialGroup group, TrialTrainer.Checkpoint from, int toEpoch, boolean keepCheckpoint, StopRule rule,
        List<Double> priorValues, int fold, double keepModelsAbove) implements Serializable {
    TrialWork {
        priorValues = List.copyOf(priorValues);
    }
}

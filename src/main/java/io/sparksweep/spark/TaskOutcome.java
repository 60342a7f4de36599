package io.sparksweep.spark;

import io.sparksweep.train.TrialTrainer;

import java.io.Serializable;

/**
 * What a Spark task hands back: the stretch it trained (failed trials included: a failure is data), or the GPU it
 * was given cannot be used, which is no trial's fault and stops the sweep.
 */
sealed interface TaskOutcome extends Serializable {
    record Trained(TrialTrainer.Stretch stretch) implements TaskOutcome {
    }

    record UnusableGpu(String message) implements TaskOutcome {
    }
}

package io.sparksweep.cli;

import io.sparksweep.spec.MetricSpec;
import io.sparksweep.train.TrialResult;

/** Reads a ranking metric off a result (null when the trial did not complete). */
final class MetricValues {
    private MetricValues() {
    }

    static Double of(TrialResult r, MetricSpec.Name name) {
        return switch (name) {
            case TEST_ACCURACY -> r.testAccuracy();
            case TEST_LOSS -> r.testLoss();
            case MACRO_F1 -> r.macroF1();
            case TRAIN_ACCURACY -> r.trainAccuracy();
            case TRAIN_LOSS -> r.trainLoss();
        };
    }
}

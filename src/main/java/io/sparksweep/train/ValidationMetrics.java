package io.sparksweep.train;

import java.io.Serializable;

/**
 * A trial's metrics on its validation images when it ended: a holdout's, or over k folds the mean of each fold's
 * (with their standard deviations) and the folds' confusion matrices summed, each image counted once.
 *
 * @param accuracyStd null for a holdout
 * @param lossStd null for a holdout
 */
public record ValidationMetrics(double accuracy, double loss, Double accuracyStd, Double lossStd,
        ConfusionMatrix confusion) implements Serializable {

    /** A holdout's metrics. */
    public static ValidationMetrics holdout(double loss, ConfusionMatrix confusion) {
        return new ValidationMetrics(confusion.accuracy(), loss, null, null, confusion);
    }
}

package io.sparksweep.train;

import io.sparksweep.spec.MetricSpec;

import java.io.Serializable;
import java.util.List;

/**
 * The state after one epoch: mean training loss over its batches, the loss and accuracy on the images trials are
 * measured on after every epoch (the validation images when the sweep holds some out, else the test set; the
 * other pair is null), the seconds the epoch's training took (evaluation excluded) and the seconds the evaluation
 * after it took.
 */
public record EpochMetrics(int epoch, double trainLoss, Double validationLoss, Double validationAccuracy,
        Double testLoss, Double testAccuracy, double seconds, double evalSeconds) implements Serializable {

    /** An epoch measured on the validation images ({@code onValidation}) or on the test set. */
    public static EpochMetrics of(int epoch, double trainLoss, boolean onValidation, double loss, double accuracy,
            double seconds, double evalSeconds) {
        return onValidation ? new EpochMetrics(epoch, trainLoss, loss, accuracy, null, null, seconds, evalSeconds)
                : new EpochMetrics(epoch, trainLoss, null, null, loss, accuracy, seconds, evalSeconds);
    }

    /** This epoch's value of {@code metric}, or null when it is not measured every epoch. */
    public Double value(MetricSpec.Name metric) {
        return switch (metric) {
            case VAL_ACCURACY -> validationAccuracy;
            case VAL_LOSS -> validationLoss;
            case TEST_ACCURACY -> testAccuracy;
            case TEST_LOSS -> testLoss;
            case TRAIN_LOSS -> trainLoss;
            default -> null;
        };
    }

    /** The epoch (1-based) with the best value of {@code metric}, the earliest on ties; null if none is measured. */
    public static Integer best(List<EpochMetrics> epochs, MetricSpec metric) {
        Integer best = null;
        Double bestValue = null;
        for (EpochMetrics e : epochs) {
            Double v = e.value(metric.name());
            if (v != null && (bestValue == null || metric.better(v, bestValue))) {
                bestValue = v;
                best = e.epoch();
            }
        }
        return best;
    }
}

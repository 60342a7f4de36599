package io.sparksweep.train;

import java.io.Serializable;

/**
 * The state after one epoch: mean training loss over its batches, test loss and accuracy, the seconds the
 * epoch's training took (evaluation excluded) and the seconds the test-set evaluation after it took.
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
        double evalSeconds) implements Serializable {

    /** This epoch's value of {@code metric}, or null when it is not measured every epoch. */
    public Double value(io.sparksweep.spec.MetricSpec.Name metric) {
        return switch (metric) {
            case TEST_ACCURACY -> testAccuracy;
            case TEST_LOSS -> testLoss;
            case TRAIN_LOSS -> trainLoss;
            default -> null;
        };
    }

    /** The epoch (1-based) with the best value of {@code metric}, the earliest on ties; null if none is measured. */
    public static Integer best(java.util.List<EpochMetrics> epochs, io.sparksweep.spec.MetricSpec metric) {
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

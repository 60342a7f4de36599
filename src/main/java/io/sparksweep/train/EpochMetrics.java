package io.sparksweep.train;

import java.io.Serializable;

/**
 * The state after one epoch: mean training loss over its batches, test loss and accuracy, the seconds the
 * epoch's training took (evaluation excluded) and the seconds the test-set evaluation after it took.
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds,
        double evalSeconds) implements Serializable {
}

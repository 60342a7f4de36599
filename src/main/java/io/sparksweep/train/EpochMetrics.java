package io.sparksweep.train;

import java.io.Serializable;

/**
 * The state after one epoch: mean training loss over its batches, test loss and accuracy, and the seconds the
 * epoch's training took (evaluation excluded).
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds)
        implements Serializable {
}

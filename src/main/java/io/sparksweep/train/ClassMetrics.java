package io.sparksweep.train;

import java.io.Serializable;

/** Precision, recall and F1 of one class on the test set (or on the validation images); {@code classIndex} is the label after re-indexing. */
public record ClassMetrics(int classIndex, String className, double precision, double recall, double f1,
        long support) implements Serializable {
}

package io.sparksweep.train;

import java.io.Serializable;

/** Test-set precision, recall and F1 of one class; {@code classIndex} is the label after re-indexing. */
public record ClassMetrics(int classIndex, String className, double precision, double recall, double f1,
        long support) implements Serializable {
}

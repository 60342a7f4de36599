package io.sparksweep.spec;

import java.io.Serializable;

/** A batch size in samples, or the whole training set ({@code full} in the sweep file). */
public record BatchSize(int samples) implements Serializable {
    public static final BatchSize FULL = new BatchSize(0);

    public BatchSize {
        if (samples < 0) {
            throw new IllegalArgumentException("batch size must be >= 1 or full, got " + samples);
        }
    }

    public boolean isFull() {
        return samples == 0;
    }

    /** The batch size for a training set of {@code trainSize} samples. */
    public int resolve(int trainSize) {
        return isFull() ? trainSize : Math.min(samples, trainSize);
    }

    @Override
    public String toString() {
        return isFull() ? "full" : Integer.toString(samples);
    }
}

package io.sparksweep.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The numbers that turn one trial's examples into network inputs, fitted on its training part: for {@link
 * Normalization#UNIT} and {@link Normalization#CENTERED} the range {@code [low, high]} (0-255 for pixels, whatever
 * the images hold; the training features' minimum and maximum for a table), for {@link Normalization#STANDARDIZE}
 * a mean and deviation per group (a channel of an image, a feature of a table). A kept model's card stores them, so
 * {@code predict} and {@code evaluate} repeat them exactly.
 */
public record Scaling(Normalization mode, float low, float high, int groupSize, float[] mean, float[] deviation)
        implements Serializable {
    /** Pixels' fixed range. */
    private static final float PIXEL_MAX = 255f;

    /** Pixels by their fixed range (unit or centered), needing nothing fitted. */
    public static Scaling pixels(Normalization mode) {
        if (mode == Normalization.STANDARDIZE) {
            throw new IllegalArgumentException("standardize is fitted on training data");
        }
        return new Scaling(mode, 0f, PIXEL_MAX, 1, new float[0], new float[0]);
    }

    /**
     * Fitted on the examples {@code rows} of {@code values} ({@code shape.size()} values each): pixels keep their
     * 0-255 range; standardize groups pixels by channel and a table's values by feature.
     */
    public static Scaling fit(Normalization mode, Values values, int[] rows, InputShape shape) {
        boolean pixels = values instanceof Values.Pixels;
        if (mode != Normalization.STANDARDIZE) {
            return pixels ? pixels(mode) : range(mode, values, rows, shape.size());
        }
        int groupSize = pixels ? shape.plane() : 1;
        int groups = shape.size() / groupSize;
        double[] sum = new double[groups];
        double[] squares = new double[groups];
        for (int row : rows) {
            long base = (long) row * shape.size();
            for (int i = 0; i < shape.size(); i++) {
                double v = values.get((int) (base + i));
                sum[i / groupSize] += v;
                squares[i / groupSize] += v * v;
            }
        }
        float[] mean = new float[groups];
        float[] deviation = new float[groups];
        double count = (double) rows.length * groupSize;
        for (int g = 0; g < groups; g++) {
            double m = count == 0 ? 0 : sum[g] / count;
            double variance = count == 0 ? 0 : Math.max(0, squares[g] / count - m * m);
            mean[g] = (float) m;
            // A constant channel or feature carries nothing: centred, not divided by zero.
            deviation[g] = variance > 0 ? (float) Math.sqrt(variance) : 1f;
        }
        return new Scaling(mode, 0f, 0f, groupSize, mean, deviation);
    }

    private static Scaling range(Normalization mode, Values values, int[] rows, int size) {
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (int row : rows) {
            long base = (long) row * size;
            for (int i = 0; i < size; i++) {
                float v = values.get((int) (base + i));
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        if (rows.length == 0) {
            low = 0f;
            high = 1f;
        }
        return new Scaling(mode, low, high > low ? high : low + 1f, 1, new float[0], new float[0]);
    }

    /** The input for value {@code v} at position {@code i} within its example. */
    public float apply(float v, int i) {
        return switch (mode) {
            // (v - 0) / 255 and v / 127.5 - 1 for pixels: the very floats SparkSweep always computed
            case UNIT -> (v - low) / (high - low);
            case CENTERED -> (v - low) / ((high - low) / 2f) - 1f;
            case STANDARDIZE -> (v - mean[i / groupSize]) / deviation[i / groupSize];
        };
    }

    /** A lookup of the 256 pixel values' inputs, for modes that do not depend on position. */
    public float[] pixelTable() {
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = apply(v, 0);
        }
        return table;
    }

    public boolean positional() {
        return mode == Normalization.STANDARDIZE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scaling s && mode == s.mode && low == s.low && high == s.high && groupSize == s.groupSize
                && Arrays.equals(mean, s.mean) && Arrays.equals(deviation, s.deviation);
    }

    @Override
    public int hashCode() {
        return 31 * mode.hashCode() + Arrays.hashCode(mean);
    }
}

package io.sparksweep.data;

import java.io.Serializable;

/**
 * What one example gives a network: {@code channels x height x width} values, channel-major (the layout DL4J's
 * flat-to-CNN preprocessor and the direct CNN step read). A table's feature rows are {@code 1 x 1 x n} and not
 * images, unless the sweep gives them an {@code image_shape}.
 */
public record InputShape(int channels, int height, int width, boolean image) implements Serializable {

    public InputShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an input shape needs positive sizes: " + channels + "x" + height
                    + "x" + width);
        }
    }

    public static InputShape image(int channels, int height, int width) {
        return new InputShape(channels, height, width, true);
    }

    /** A row of {@code n} features, which only an MLP reads. */
    public static InputShape features(int n) {
        return new InputShape(1, 1, n, false);
    }

    /** Values per example. */
    public int size() {
        return channels * height * width;
    }

    /** Values per channel: what a per-channel statistic averages over. */
    public int plane() {
        return height * width;
    }

    /** For people and the {@code sweeps} row: {@code 3x32x32} or {@code 784 features}. */
    public String describe() {
        return image ? channels + "x" + height + "x" + width : size() + " features";
    }
}

package io.sparksweep.data;

/**
 * Grey 28x28 images coloured by class, for example data in colour: each class has its own tint (red, green and blue
 * weights), so colour tells the classes apart as much as shape does, and a model that ignored colour would lose.
 */
public final class Tinted {
    private static final double[][] TINTS = {
            {1, 0.25, 0.25}, {0.25, 1, 0.25}, {0.25, 0.25, 1}, {1, 1, 0.25}, {1, 0.25, 1},
            {0.25, 1, 1}, {1, 0.6, 0.25}, {0.6, 0.25, 1}, {0.25, 0.6, 0.6}, {1, 1, 1}};

    private Tinted() {
    }

    /** The weight of channel {@code c} (0 red, 1 green, 2 blue) in class {@code label}'s tint. */
    public static double weight(int label, int c) {
        return TINTS[label % TINTS.length][c];
    }

    /** A split of grey images, {@code plane} pixels each, as 3-channel images tinted by their labels. */
    public static RawDataset.Split of(RawDataset.Split grey, int plane) {
        byte[] in = grey.pixels();
        byte[] out = new byte[grey.count() * 3 * plane];
        for (int i = 0; i < grey.count(); i++) {
            for (int c = 0; c < 3; c++) {
                double w = weight(grey.labels()[i], c);
                for (int p = 0; p < plane; p++) {
                    out[(i * 3 + c) * plane + p] = (byte) Math.round((in[i * plane + p] & 0xff) * w);
                }
            }
        }
        return new RawDataset.Split(new Values.Pixels(out), grey.labels());
    }
}

package io.sparksweep;

import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DataSchema;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.Tinted;
import io.sparksweep.data.Values;
import io.sparksweep.data.DatasetBundle;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetLocator;
import io.sparksweep.data.PreparedData;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.Normalization;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The real Fashion-MNIST from Debian's dataset-fashion-mnist package (installed by .ci/run), read once per JVM. */
public final class TestData {
    public static final Path FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static DatasetBundle bundle;
    private static RawDataset raw;

    private TestData() {
    }

    public static synchronized DatasetBundle fashionBundle() {
        if (bundle == null) {
            bundle = DatasetLocator.standard(FASHION_DIR, false).load(DatasetKind.FASHION_MNIST);
        }
        return bundle;
    }

    public static synchronized RawDataset fashion() {
        if (raw == null) {
            raw = fashionBundle().decode();
        }
        return raw;
    }

    /**
     * The first {@code train} and {@code test} images of Fashion-MNIST in colour, each tinted by its class
     * ({@link Tinted}) and cut to {@code height x width} about its centre: 3-channel, possibly non-square data.
     */
    public static RawDataset colourFashion(int train, int test, int height, int width) {
        RawDataset raw = fashion();
        return new RawDataset(new DataSchema(InputShape.image(3, height, width), raw.schema().classNames()),
                colour(raw.train(), train, height, width), colour(raw.test(), test, height, width));
    }

    private static RawDataset.Split colour(RawDataset.Split split, int count, int height, int width) {
        byte[] out = new byte[count * 3 * height * width];
        int top = (28 - height) / 2;
        int left = (28 - width) / 2;
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 3; c++) {
                double tint = Tinted.weight(split.labels()[i], c);
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int grey = split.pixels()[i * 784 + (top + y) * 28 + left + x] & 0xff;
                        out[((i * 3 + c) * height + y) * width + x] = (byte) Math.round(grey * tint);
                    }
                }
            }
        }
        return new RawDataset.Split(new Values.Pixels(out), Arrays.copyOf(split.labels(), count));
    }

    public static PreparedData fashionSubset(int trainLimit, int testLimit) {
        return DataPreparer.prepare(fashion(), new DatasetSpec(DatasetKind.FASHION_MNIST, Normalization.UNIT,
                List.of(), trainLimit, testLimit));
    }
}

package io.sparksweep;

import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DatasetBundle;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetLocator;
import io.sparksweep.data.PreparedData;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.Normalization;

import java.nio.file.Path;
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

    public static PreparedData fashionSubset(int trainLimit, int testLimit) {
        return DataPreparer.prepare(fashion(), new DatasetSpec(DatasetKind.FASHION_MNIST, Normalization.UNIT,
                List.of(), trainLimit, testLimit));
    }
}

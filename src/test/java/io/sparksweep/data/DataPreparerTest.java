package io.sparksweep.data;

import io.sparksweep.TestData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the real Fashion-MNIST (6,000 train and 1,000 test images per class). */
class DataPreparerTest {
    private static final RawDataset RAW = TestData.fashion();

    @Test
    void realDatasetHasTheExpectedShape() {
        assertEquals(60_000, RAW.train().count());
        assertEquals(10_000, RAW.test().count());
        assertEquals(InputShape.image(1, 28, 28), RAW.shape());
    }

    @Test
    void classSubsetKeepsOnlyThoseClassesReindexedInTheGivenOrder() {
        // Dress (3) vs Pullover (2): Dress becomes label 0, Pullover label 1
        PreparedData data = DataPreparer.prepare(RAW, new DatasetSpec(DatasetKind.FASHION_MNIST,
                Normalization.UNIT, List.of(3, 2), 0, 0));
        assertEquals(List.of("Dress", "Pullover"), data.classNames());
        assertEquals(12_000, data.trainCount());
        assertEquals(2_000, data.testCount());
        int[] counts = new int[2];
        for (int label : data.testLabels()) {
            counts[label]++;
        }
        assertArrayEquals(new int[] {1000, 1000}, counts);
        // the first test image of label 0 is the first Dress image of the raw test set, pixel for pixel
        int rawIndex = 0;
        while (RAW.test().labels()[rawIndex] != 3) {
            rawIndex++;
        }
        int prepIndex = 0;
        while (data.testLabels()[prepIndex] != 0) {
            prepIndex++;
        }
        for (int p = 0; p < 784; p++) {
            assertEquals((RAW.test().pixels()[rawIndex * 784 + p] & 0xff) / 255f,
                    data.testFeatures()[prepIndex * 784 + p], 1e-7);
        }
    }

    @Test
    void normalizationRanges() {
        for (Normalization n : List.of(Normalization.UNIT, Normalization.CENTERED)) {
            PreparedData data = DataPreparer.prepare(RAW, new DatasetSpec(DatasetKind.FASHION_MNIST, n, List.of(),
                    0, 500));
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : data.testFeatures()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(n == Normalization.UNIT ? 0f : -1f, min, 1e-6, n.key());
            assertEquals(1f, max, 1e-6, n.key());
        }
    }

    @Test
    void standardizeIsFittedOnTheTrainingPartAloneToZeroMeanAndUnitDeviation() {
        DatasetSpec spec = new DatasetSpec(DatasetKind.FASHION_MNIST, Normalization.STANDARDIZE, List.of(), 3000, 500,
                new Validation.Fraction(0.2));
        PreparedData data = DataPreparer.prepare(RAW, spec);
        double sum = 0;
        double squares = 0;
        for (float v : data.trainFeatures()) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / data.trainFeatures().length;
        assertEquals(0, mean, 1e-4);
        assertEquals(1, Math.sqrt(squares / data.trainFeatures().length - mean * mean), 1e-4);
        // what the model card stores is what the examples were normalised with, and the held-out images, had they
        // counted, would have moved it
        assertEquals(DataPreparer.scaling(RAW, spec), data.scaling());
        Scaling withHeldOut = DataPreparer.scaling(RAW, spec.withValidation(Validation.NONE));
        assertTrue(withHeldOut.mean()[0] != data.scaling().mean()[0], "validation images excluded");
        assertEquals(1, data.scaling().mean().length, "one channel");
    }

    @Test
    void limitsAreStratifiedAndTheSameEveryTime() {
        DatasetSpec spec = new DatasetSpec(DatasetKind.FASHION_MNIST, Normalization.UNIT, List.of(), 1003, 250);
        PreparedData a = DataPreparer.prepare(RAW, spec);
        PreparedData b = DataPreparer.prepare(RAW, spec);
        assertEquals(1003, a.trainCount());
        assertEquals(250, a.testCount());
        assertArrayEquals(a.trainLabels(), b.trainLabels());
        assertArrayEquals(a.trainFeatures(), b.trainFeatures());
        int[] counts = new int[10];
        for (int label : a.trainLabels()) {
            counts[label]++;
        }
        for (int c : counts) {
            assertTrue(c == 100 || c == 101, "per-class count " + c);
        }
    }
}

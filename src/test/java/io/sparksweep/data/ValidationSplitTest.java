package io.sparksweep.data;

import io.sparksweep.BadInputException;
import io.sparksweep.TestData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validation split and the folds, on the real Fashion-MNIST training images. */
class ValidationSplitTest {
    private static final RawDataset RAW = TestData.fashion();

    private static DatasetSpec spec(int trainLimit, Validation validation) {
        return new DatasetSpec(DatasetKind.FASHION_MNIST, Normalization.UNIT, List.of(), trainLimit, 500, validation);
    }

    /** Pixel rows as strings: an image's identity, whichever array it ended up in. */
    private static Set<String> images(float[] features, int count) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < count; i++) {
            out.add(Arrays.toString(Arrays.copyOfRange(features, i * 784, (i + 1) * 784)));
        }
        return out;
    }

    @Test
    void aHoldoutIsDisjointFromTheTrainedImagesStratifiedAndTheSameEveryTime() {
        DatasetSpec spec = spec(5003, new Validation.Fraction(0.1));
        PreparedData a = DataPreparer.prepare(RAW, spec);
        PreparedData b = DataPreparer.prepare(RAW, spec);
        assertEquals(500, a.validationCount()); // round(0.1 * 5003)
        assertEquals(5003 - 500, a.trainCount());
        assertArrayEquals(a.validationFeatures(), b.validationFeatures());
        assertArrayEquals(a.trainLabels(), b.trainLabels());

        Set<String> trained = images(a.trainFeatures(), a.trainCount());
        Set<String> held = images(a.validationFeatures(), a.validationCount());
        Set<String> both = new HashSet<>(trained);
        both.retainAll(held);
        // Fashion-MNIST has a few duplicate images; none of the held-out ones is among the trained
        assertTrue(both.isEmpty(), both.size() + " validation images are also trained on");

        int[] selected = classCounts(DataPreparer.prepare(RAW, spec(5003, Validation.NONE)).trainLabels());
        int[] validation = classCounts(a.validationLabels());
        for (int c = 0; c < 10; c++) {
            double exact = 500.0 * selected[c] / 5003;
            assertTrue(Math.abs(validation[c] - exact) < 1, "class " + c + ": " + validation[c] + " vs " + exact);
        }
    }

    @Test
    void aCountHoldsOutThatManyAndItsDigestNamesTheImages() {
        int[][] six = DataPreparer.validationFolds(RAW, spec(0, new Validation.Count(6000)));
        assertEquals(6000, six[0].length);
        assertEquals(600, classCounts(labels(six[0]))[3]); // 6000 of 60,000 balanced images: 600 a class
        String digest = DataPreparer.validationDigest(six);
        assertEquals(digest, DataPreparer.validationDigest(
                DataPreparer.validationFolds(RAW, spec(0, new Validation.Count(6000)))));
        assertNotEquals(digest, DataPreparer.validationDigest(
                DataPreparer.validationFolds(RAW, spec(0, new Validation.Count(5999)))));
    }

    @Test
    void foldsAreDisjointStratifiedAndCoverEveryTrainingImageOnce() {
        DatasetSpec spec = spec(2001, new Validation.Folds(5));
        int[][] folds = DataPreparer.validationFolds(RAW, spec);
        int[] all = Arrays.stream(folds).flatMapToInt(Arrays::stream).sorted().toArray();
        assertEquals(2001, all.length);
        assertEquals(2001, Arrays.stream(all).distinct().count(), "an image in two folds");
        // what the trials see: the folds' validation images, together, are the selected training images
        PreparedData whole = DataPreparer.prepare(RAW, spec.withValidation(Validation.NONE));
        List<String> heldOut = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            PreparedData fold = DataPreparer.prepare(RAW, spec, f);
            assertEquals(2001, fold.trainCount() + fold.validationCount());
            heldOut.addAll(imageList(fold.validationFeatures(), fold.validationCount()));
        }
        List<String> selected = imageList(whole.trainFeatures(), whole.trainCount());
        Collections.sort(heldOut);
        Collections.sort(selected);
        assertEquals(selected, heldOut, "the folds cover exactly the selected training images");
        int[] wholeCounts = classCounts(whole.trainLabels());
        for (int[] fold : folds) {
            assertTrue(fold.length == 400 || fold.length == 401, "fold size " + fold.length);
            int[] counts = classCounts(labels(fold));
            int[] whole5 = wholeCounts;
            for (int c = 0; c < 10; c++) {
                assertTrue(Math.abs(counts[c] - whole5[c] / 5.0) < 1, "class " + c + ": " + counts[c]);
            }
        }
        PreparedData third = DataPreparer.prepare(RAW, spec, 2);
        assertEquals(folds[2].length, third.validationCount());
        assertEquals(2001 - folds[2].length, third.trainCount());
    }

    @Test
    void aSplitTheClassesCannotGiveIsRefusedNamingTheClass() {
        DatasetSpec dressVsPullover = new DatasetSpec(DatasetKind.FASHION_MNIST, Normalization.UNIT, List.of(3, 2),
                20, 0, new Validation.Folds(11));
        BadInputException folds = assertThrows(BadInputException.class,
                () -> DataPreparer.checkValidation(RAW, dressVsPullover, "s.yaml"));
        assertTrue(folds.getMessage().startsWith("s.yaml: dataset.validation: 11 folds need 11 training images of "
                + "every class, and class"), folds.getMessage());
        BadInputException tooFew = assertThrows(BadInputException.class,
                () -> DataPreparer.checkValidation(RAW, spec(100, new Validation.Count(5)), "s.yaml"));
        assertTrue(tooFew.getMessage().contains("holds no image of class"), tooFew.getMessage());
        BadInputException tooMany = assertThrows(BadInputException.class,
                () -> DataPreparer.checkValidation(RAW, spec(100, new Validation.Count(100)), "s.yaml"));
        assertTrue(tooMany.getMessage().contains("leaves no image of class"), tooMany.getMessage());
        DataPreparer.checkValidation(RAW, spec(100, new Validation.Count(10)), "s.yaml"); // one of each: fine
    }

    private static List<String> imageList(float[] features, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Arrays.toString(Arrays.copyOfRange(features, i * 784, (i + 1) * 784)));
        }
        return out;
    }

    private static int[] labels(int[] rawIndices) {
        return Arrays.stream(rawIndices).map(i -> RAW.train().labels()[i] & 0xff).toArray();
    }

    private static int[] classCounts(int[] labels) {
        int[] counts = new int[10];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}

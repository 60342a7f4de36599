package io.sparksweep.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A test set split off a source that has none: stratified (each class's share within one example of its
 * proportion) and seeded with a constant, so every run and every resume of a sweep tests on the same examples.
 */
public final class TestSplit {
    static final long SEED = 20261207L;

    private TestSplit() {
    }

    /** The ascending indices of {@code labels} that are the test set: {@code fraction} of each class, rounded. */
    public static int[] testIndices(int[] labels, int numClasses, double fraction) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        Random random = new Random(SEED);
        List<Integer> chosen = new ArrayList<>();
        for (List<Integer> indices : byClass) {
            Collections.shuffle(indices, random);
            int take = (int) Math.round(fraction * indices.size());
            // every class with two or more examples keeps one on each side
            take = indices.size() < 2 ? 0 : Math.max(1, Math.min(indices.size() - 1, take));
            chosen.addAll(indices.subList(0, take));
        }
        int[] out = chosen.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }

    /** The examples {@code indices} of {@code split}, in order. */
    public static RawDataset.Split take(RawDataset.Split split, int[] indices, int size) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = split.labels()[indices[i]];
        }
        Values values = split.values();
        if (values instanceof Values.Pixels p) {
            byte[] out = new byte[indices.length * size];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(p.data(), indices[i] * size, out, i * size, size);
            }
            return new RawDataset.Split(new Values.Pixels(out), labels);
        }
        float[] in = ((Values.Floats) values).data();
        float[] out = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(in, indices[i] * size, out, i * size, size);
        }
        return new RawDataset.Split(new Values.Floats(out), labels);
    }

    /** The indices {@code 0..n-1} not in the ascending {@code removed}. */
    public static int[] rest(int n, int[] removed) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return DataPreparer.without(all, removed);
    }
}

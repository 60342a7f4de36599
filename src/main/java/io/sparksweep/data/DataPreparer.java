package io.sparksweep.data;

import io.sparksweep.BadInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/** Turns a {@link RawDataset} into {@link PreparedData}: class subset, stratified limits, normalisation. */
public final class DataPreparer {
    /** Subsamples are seeded with a constant so every trial and every run sees the same images. */
    static final long SAMPLE_SEED = 20201206L;

    private DataPreparer() {
    }

    /**
     * Refuses a dataset in which a class the sweep trains on has no train or no test image (a subset of classes
     * the files lack, or files with fewer classes than the dataset), before anything is written.
     */
    public static void checkCoverage(RawDataset raw, DatasetSpec spec, String source) {
        List<Integer> classes = spec.classes().isEmpty()
                ? IntStream.range(0, raw.kind().numClasses()).boxed().toList() : spec.classes();
        for (boolean isTrain : new boolean[] {true, false}) {
            int[] counts = (isTrain ? raw.train() : raw.test()).classCounts(raw.kind().numClasses());
            for (int c : classes) {
                if (counts[c] == 0) {
                    throw new BadInputException(source + ": the " + (isTrain ? "train" : "test") + " set has no "
                            + "image of class " + c + " (" + raw.kind().classNames().get(c) + "), which "
                            + (spec.classes().isEmpty() ? "every " + raw.kind().key() + " sweep" : "dataset.classes")
                            + " needs");
                }
            }
        }
    }

    public static PreparedData prepare(RawDataset raw, DatasetSpec spec) {
        int[] relabel = relabelTable(raw.kind(), spec);
        int[] train = select(raw.train(), relabel, spec.trainLimit(), spec.numClasses());
        int[] test = select(raw.test(), relabel, spec.testLimit(), spec.numClasses());
        return new PreparedData(raw.rows(), raw.cols(), spec.classNames(),
                features(raw.train(), train, raw.pixels(), spec), labels(raw.train(), train, relabel),
                features(raw.test(), test, raw.pixels(), spec), labels(raw.test(), test, relabel));
    }

    /** original label -> new label, or -1 for a class that is left out. */
    private static int[] relabelTable(DatasetKind kind, DatasetSpec spec) {
        int[] table = new int[kind.numClasses()];
        if (spec.classes().isEmpty()) {
            for (int c = 0; c < table.length; c++) {
                table[c] = c;
            }
        } else {
            Arrays.fill(table, -1);
            for (int i = 0; i < spec.classes().size(); i++) {
                table[spec.classes().get(i)] = i;
            }
        }
        return table;
    }

    /** Indices of the kept images, ascending; a stratified seeded subsample when {@code limit} is set. */
    private static int[] select(RawDataset.Split split, int[] relabel, int limit, int numClasses) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        int kept = 0;
        for (int i = 0; i < split.count(); i++) {
            int label = relabel[split.labels()[i] & 0xff];
            if (label >= 0) {
                byClass.get(label).add(i);
                kept++;
            }
        }
        if (limit <= 0 || limit >= kept) {
            return byClass.stream().flatMap(List::stream).mapToInt(Integer::intValue).sorted().toArray();
        }
        int[] quota = quotas(byClass, kept, limit);
        Random random = new Random(SAMPLE_SEED);
        List<Integer> chosen = new ArrayList<>(limit);
        for (int c = 0; c < numClasses; c++) {
            List<Integer> indices = new ArrayList<>(byClass.get(c));
            Collections.shuffle(indices, random);
            chosen.addAll(indices.subList(0, quota[c]));
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Per-class counts proportional to class sizes, summing to {@code limit} (largest remainders first). */
    private static int[] quotas(List<List<Integer>> byClass, int total, int limit) {
        int n = byClass.size();
        int[] quota = new int[n];
        double[] remainder = new double[n];
        int assigned = 0;
        for (int c = 0; c < n; c++) {
            double exact = (double) limit * byClass.get(c).size() / total;
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            assigned += quota[c];
        }
        while (assigned < limit) {
            int best = -1;
            for (int c = 0; c < n; c++) {
                if (quota[c] < byClass.get(c).size() && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            quota[best]++;
            remainder[best] = -1;
            assigned++;
        }
        return quota;
    }

    private static float[] features(RawDataset.Split split, int[] indices, int pixels, DatasetSpec spec) {
        float[] lookup = new float[256];
        for (int v = 0; v < 256; v++) {
            lookup[v] = spec.normalize().apply(v);
        }
        float[] out = new float[indices.length * pixels];
        byte[] images = split.images();
        for (int i = 0; i < indices.length; i++) {
            int from = indices[i] * pixels;
            int to = i * pixels;
            for (int p = 0; p < pixels; p++) {
                out[to + p] = lookup[images[from + p] & 0xff];
            }
        }
        return out;
    }

    private static int[] labels(RawDataset.Split split, int[] indices, int[] relabel) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = relabel[split.labels()[indices[i]] & 0xff];
        }
        return out;
    }
}

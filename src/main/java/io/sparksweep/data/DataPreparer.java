package io.sparksweep.data;

import io.sparksweep.BadInputException;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Turns a {@link RawDataset} into {@link PreparedData}: class subset, stratified limits, normalisation. */
public final class DataPreparer {
    /** Subsamples are seeded with a constant so every trial and every run sees the same images. */
    static final long SAMPLE_SEED = 20201206L;
    /** The validation split's own constant seed: the same images for every trial and run of a sweep. */
    static final long VALIDATION_SEED = 20260214L;

    private DataPreparer() {
    }

    /**
     * Refuses a dataset in which a class the sweep trains on has no train or no test image (a subset of classes
     * the files lack, or files with fewer classes than the dataset), before anything is written.
     */
    public static void checkCoverage(RawDataset raw, DatasetSpec spec, String source) {
        List<Integer> classes = spec.classIndices();
        List<String> names = raw.schema().classNames();
        for (boolean isTrain : new boolean[] {true, false}) {
            int[] counts = (isTrain ? raw.train() : raw.test()).classCounts(raw.numClasses());
            for (int c : classes) {
                if (counts[c] == 0) {
                    throw new BadInputException(source + ": the " + (isTrain ? "train" : "test") + " set has no "
                            + "example of class " + c + " (" + names.get(c) + "), which "
                            + (spec.classes().isEmpty() ? "every " + spec.source().kind() + " sweep" : "dataset.classes")
                            + " needs");
                }
            }
        }
    }

    public static PreparedData prepare(RawDataset raw, DatasetSpec spec) {
        return prepare(raw, spec, 0);
    }

    /**
     * The data one network of a trial trains and is validated on: without a split, every selected training image;
     * with a holdout, the images outside it ({@code fold} is 0); with folds, the images outside fold {@code fold}.
     */
    public static PreparedData prepare(RawDataset raw, DatasetSpec spec, int fold) {
        int[] relabel = relabelTable(raw, spec);
        int[] selected = select(raw.train(), relabel, spec.trainLimit(), spec.numClasses());
        int[] held = spec.validation().any() ? validationFolds(raw, spec)[fold] : new int[0];
        int[] train = without(selected, held);
        int[] test = select(raw.test(), relabel, spec.testLimit(), spec.numClasses());
        Scaling scaling = Scaling.fit(spec.normalize(), raw.train().values(), train, raw.shape());
        int size = raw.shape().size();
        return new PreparedData(raw.shape(), spec.classNames(), scaling,
                features(raw.train(), train, size, scaling), labels(raw.train(), train, relabel),
                features(raw.train(), held, size, scaling), labels(raw.train(), held, relabel),
                features(raw.test(), test, size, scaling), labels(raw.test(), test, relabel));
    }

    /**
     * A kept model's test set: the selected test examples, normalised as the model's training examples were
     * ({@code scaling}, from its card), not as this data would fit. The training arrays are left empty.
     */
    public static PreparedData testSet(RawDataset raw, DatasetSpec spec, Scaling scaling) {
        int[] relabel = relabelTable(raw, spec);
        int[] test = select(raw.test(), relabel, spec.testLimit(), spec.numClasses());
        return new PreparedData(raw.shape(), spec.classNames(), scaling, new float[0], new int[0], new float[0],
                new int[0], features(raw.test(), test, raw.shape().size(), scaling), labels(raw.test(), test, relabel));
    }

    /**
     * The normalisation of the network a trial trains on the examples outside its holdout (all selected examples
     * without a split, as for a refit): what {@link #prepare} fits, without building the arrays.
     */
    public static Scaling scaling(RawDataset raw, DatasetSpec spec) {
        if (spec.normalize() != Normalization.STANDARDIZE && raw.train().values() instanceof Values.Pixels) {
            return Scaling.pixels(spec.normalize());
        }
        int[] relabel = relabelTable(raw, spec);
        int[] selected = select(raw.train(), relabel, spec.trainLimit(), spec.numClasses());
        int[] held = spec.validation().any() ? validationFolds(raw, spec)[0] : new int[0];
        return Scaling.fit(spec.normalize(), raw.train().values(), without(selected, held), raw.shape());
    }

    /**
     * The validation images of each fold (one for a holdout), as ascending indices into the dataset's training
     * file: stratified (each class's share within one image of its proportion) and seeded with a constant, so
     * every trial and every run of a sweep holds out the same images. Folds are disjoint and cover the selected
     * training images once.
     */
    public static int[][] validationFolds(RawDataset raw, DatasetSpec spec) {
        List<List<Integer>> byClass = trainingByClass(raw, spec);
        Random random = new Random(VALIDATION_SEED);
        byClass.forEach(indices -> Collections.shuffle(indices, random));
        Validation validation = spec.validation();
        if (validation instanceof Validation.Folds folds) {
            List<List<Integer>> out = new ArrayList<>();
            for (int f = 0; f < folds.k(); f++) {
                out.add(new ArrayList<>());
            }
            int next = 0; // dealt round-robin across classes too, so fold sizes differ by at most one
            for (List<Integer> indices : byClass) {
                for (int index : indices) {
                    out.get(next++ % folds.k()).add(index);
                }
            }
            return out.stream().map(f -> f.stream().mapToInt(Integer::intValue).sorted().toArray())
                    .toArray(int[][]::new);
        }
        int total = byClass.stream().mapToInt(List::size).sum();
        int[] quota = quotas(byClass, total, holdoutSize(validation, total));
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            chosen.addAll(byClass.get(c).subList(0, quota[c]));
        }
        return new int[][] {chosen.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    /**
     * Refuses a split the selected training images cannot give, before anything is written: a holdout must hold
     * at least one image of every class and leave at least one to train on; each fold needs one of every class.
     */
    public static void checkValidation(RawDataset raw, DatasetSpec spec, String source) {
        Validation validation = spec.validation();
        if (!validation.any()) {
            return;
        }
        List<List<Integer>> byClass = trainingByClass(raw, spec);
        List<String> names = spec.classNames();
        int smallest = 0;
        for (int c = 1; c < byClass.size(); c++) {
            smallest = byClass.get(c).size() < byClass.get(smallest).size() ? c : smallest;
        }
        int fewest = byClass.get(smallest).size();
        String where = source + ": dataset.validation: ";
        if (validation instanceof Validation.Folds folds) {
            if (folds.k() > fewest) {
                throw new BadInputException(where + folds.k() + " folds need " + folds.k() + " training images of "
                        + "every class, and class " + names.get(smallest) + " has " + fewest
                        + ": use at most " + fewest + " folds");
            }
            return;
        }
        int total = byClass.stream().mapToInt(List::size).sum();
        int size = holdoutSize(validation, total);
        int[] quota = quotas(byClass, total, size);
        for (int c = 0; c < byClass.size(); c++) {
            if (quota[c] == 0 || quota[c] >= byClass.get(c).size()) {
                throw new BadInputException(where + "a holdout of " + size + " of the " + total + " training images "
                        + (quota[c] == 0 ? "holds no image of class " + names.get(c) + " (it needs at least "
                        + byClass.size() + ", one per class)" : "leaves no image of class " + names.get(c)
                        + " to train on (it has " + byClass.get(c).size() + ")"));
            }
        }
    }

    /** The images a holdout takes out of {@code total} selected training images. */
    private static int holdoutSize(Validation validation, int total) {
        if (validation instanceof Validation.Fraction f) {
            return (int) Math.round(f.value() * total);
        }
        return Math.min(total, ((Validation.Count) validation).value());
    }

    /** The selected training images' indices, per class in label order, ascending. */
    private static List<List<Integer>> trainingByClass(RawDataset raw, DatasetSpec spec) {
        int[] relabel = relabelTable(raw, spec);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < spec.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int index : select(raw.train(), relabel, spec.trainLimit(), spec.numClasses())) {
            byClass.get(relabel[raw.train().labels()[index]]).add(index);
        }
        return byClass;
    }

    /** The ascending {@code all} minus the ascending {@code removed}. */
    static int[] without(int[] all, int[] removed) {
        int[] out = new int[all.length - removed.length];
        int r = 0;
        int o = 0;
        for (int index : all) {
            if (r < removed.length && removed[r] == index) {
                r++;
            } else {
                out[o++] = index;
            }
        }
        return out;
    }

    /**
     * SHA-256 (hex) of the held-out indices into the training file, fold by fold: what the {@code sweeps} row
     * records, so two runs can be seen to have validated on the same images (and tested on the same split-off
     * test set).
     */
    public static String validationDigest(int[][] folds) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES);
            for (int[] fold : folds) {
                for (int index : fold) {
                    digest.update(buffer.clear().putInt(index).array());
                }
                digest.update(buffer.clear().putInt(-1).array());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** original label -> new label, or -1 for a class that is left out. */
    private static int[] relabelTable(RawDataset raw, DatasetSpec spec) {
        int[] table = new int[raw.numClasses()];
        Arrays.fill(table, -1);
        List<Integer> kept = spec.classIndices();
        for (int i = 0; i < kept.size(); i++) {
            table[kept.get(i)] = i;
        }
        return table;
    }

    /** The examples a {@code limit} of all classes selects: what {@code train_limit} or {@code test_limit} takes. */
    public static int[] selected(RawDataset.Split split, int numClasses, int limit) {
        int[] identity = new int[numClasses];
        Arrays.setAll(identity, c -> c);
        return select(split, identity, limit, numClasses);
    }

    /** Indices of the kept images, ascending; a stratified seeded subsample when {@code limit} is set. */
    private static int[] select(RawDataset.Split split, int[] relabel, int limit, int numClasses) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        int kept = 0;
        for (int i = 0; i < split.count(); i++) {
            int label = relabel[split.labels()[i]];
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

    /** The examples {@code indices} of the split as network inputs, {@code size} values each. */
    private static float[] features(RawDataset.Split split, int[] indices, int size, Scaling scaling) {
        float[] out = new float[indices.length * size];
        if (split.values() instanceof Values.Pixels pixels && !scaling.positional()) {
            float[] lookup = scaling.pixelTable();
            byte[] images = pixels.data();
            for (int i = 0; i < indices.length; i++) {
                int from = indices[i] * size;
                int to = i * size;
                for (int p = 0; p < size; p++) {
                    out[to + p] = lookup[images[from + p] & 0xff];
                }
            }
            return out;
        }
        Values values = split.values();
        for (int i = 0; i < indices.length; i++) {
            int from = indices[i] * size;
            int to = i * size;
            for (int p = 0; p < size; p++) {
                out[to + p] = scaling.apply(values.get(from + p), p);
            }
        }
        return out;
    }

    private static int[] labels(RawDataset.Split split, int[] indices, int[] relabel) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = relabel[split.labels()[indices[i]]];
        }
        return out;
    }
}

package io.sparksweep.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Examples whose values appear both in the part a network trains on and in a part that measures it (the test set,
 * the validation holdout): a copied photo in two folders makes a held-out score partly a training score. None of
 * torchvision, Keras or DL4J reports it; SparkSweep counts them and names a few in one warning line.
 */
public final class Leakage {
    /** How many measured examples repeat a training example, and the first few pairs, for a message. */
    public record Overlap(String part, int count, List<String> examples) {
        public String describe() {
            return String.format("warning: %d %s example(s) have the same values as training examples (%s%s): "
                    + "their scores are partly training scores", count, part, String.join(", ", examples),
                    count > examples.size() ? ", ..." : "");
        }
    }

    private static final int NAMED = 3;

    private Leakage() {
    }

    /** Test examples that repeat a training example, or empty. */
    public static List<Overlap> find(RawDataset raw, int[] heldOut) {
        List<Overlap> found = new ArrayList<>();
        int size = raw.shape().size();
        int[] training = heldOut.length == 0 ? all(raw.train().count()) : without(raw.train().count(), heldOut);
        Map<Integer, List<Integer>> index = index(raw.train(), training, size);
        overlap("test", raw.test(), all(raw.test().count()), raw.train(), index, size, raw).ifPresent(found::add);
        if (heldOut.length > 0) {
            overlap("validation", raw.train(), heldOut, raw.train(), index, size, raw).ifPresent(found::add);
        }
        return found;
    }

    private static Optional<Overlap> overlap(String part, RawDataset.Split measured, int[] rows,
            RawDataset.Split train, Map<Integer, List<Integer>> index, int size, RawDataset raw) {
        int count = 0;
        List<String> named = new ArrayList<>();
        for (int row : rows) {
            List<Integer> candidates = index.get(hash(measured.values(), row, size));
            if (candidates == null) {
                continue;
            }
            for (int t : candidates) {
                if (same(measured.values(), row, train.values(), t, size)) {
                    count++;
                    if (named.size() < NAMED) {
                        named.add(part + " #" + row + " = train #" + t + " ("
                                + raw.schema().classNames().get(train.labels()[t]) + ")");
                    }
                    break;
                }
            }
        }
        return count == 0 ? Optional.empty() : Optional.of(new Overlap(part, count, named));
    }

    private static Map<Integer, List<Integer>> index(RawDataset.Split split, int[] rows, int size) {
        Map<Integer, List<Integer>> index = new HashMap<>();
        for (int row : rows) {
            index.computeIfAbsent(hash(split.values(), row, size), h -> new ArrayList<>(1)).add(row);
        }
        return index;
    }

    private static int hash(Values values, int row, int size) {
        int h = 1;
        for (int i = 0; i < size; i++) {
            h = 31 * h + Float.floatToIntBits(values.get(row * size + i));
        }
        return h;
    }

    private static boolean same(Values a, int i, Values b, int j, int size) {
        for (int k = 0; k < size; k++) {
            if (a.get(i * size + k) != b.get(j * size + k)) {
                return false;
            }
        }
        return true;
    }

    private static int[] all(int n) {
        int[] rows = new int[n];
        Arrays.setAll(rows, i -> i);
        return rows;
    }

    private static int[] without(int n, int[] sortedRemoved) {
        return TestSplit.rest(n, sortedRemoved);
    }
}

package io.sparksweep.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Counts of (actual, predicted) pairs over an evaluation set, and the metrics derived from them. */
public record ConfusionMatrix(long[][] counts) implements Serializable {

    public static ConfusionMatrix of(int[] actual, int[] predicted, int numClasses) {
        long[][] counts = new long[numClasses][numClasses];
        for (int i = 0; i < actual.length; i++) {
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    public int numClasses() {
        return counts.length;
    }

    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long c : row) {
                total += c;
            }
        }
        return total;
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        long total = total();
        return total == 0 ? 0 : (double) correct / total;
    }

    public long support(int c) {
        long s = 0;
        for (long v : counts[c]) {
            s += v;
        }
        return s;
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    public double recall(int c) {
        long support = support(c);
        return support == 0 ? 0 : (double) counts[c][c] / support;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += f1(c);
        }
        return sum / counts.length;
    }

    public List<ClassMetrics> classMetrics(List<String> classNames) {
        List<ClassMetrics> out = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            out.add(new ClassMetrics(c, classNames.get(c), precision(c), recall(c), f1(c), support(c)));
        }
        return out;
    }
}

package io.sparksweep.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Evaluates a network on a labelled set in fixed-size batches: mean cross-entropy loss (from the softmax output,
 * clipped at 1e-7 like Keras, so one confident mistake cannot make it infinite) and the confusion matrix.
 */
public final class Evaluator {
    static final int BATCH = 2000;
    private static final double MIN_PROBABILITY = 1e-7;

    private Evaluator() {
    }

    public record Evaluation(double loss, ConfusionMatrix confusion) {
        public double accuracy() {
            return confusion.accuracy();
        }
    }

    /** A network's class probabilities for rows {@code [start, end)} of {@code features}, row-major. */
    @FunctionalInterface
    public interface Predictor {
        float[] probabilities(INDArray features, int start, int end);
    }

    /** DL4J's own inference, in batches of rows viewed (not copied) out of {@code features}. */
    public static Predictor of(MultiLayerNetwork net) {
        return (features, start, end) -> net.output(features.get(NDArrayIndex.interval(start, end),
                NDArrayIndex.all()), false).data().asFloat();
    }

    public static Evaluation evaluate(Predictor net, INDArray features, int[] labels, int numClasses) {
        int n = labels.length;
        int[] predicted = new int[n];
        double lossSum = 0;
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            float[] probabilities = net.probabilities(features, start, end);
            for (int i = start; i < end; i++) {
                int offset = (i - start) * numClasses;
                int best = 0;
                for (int c = 1; c < numClasses; c++) {
                    if (probabilities[offset + c] > probabilities[offset + best]) {
                        best = c;
                    }
                }
                predicted[i] = best;
                double p = probabilities[offset + labels[i]];
                lossSum -= Math.log(Double.isNaN(p) ? Double.NaN : Math.max(p, MIN_PROBABILITY));
            }
        }
        return new Evaluation(lossSum / n, ConfusionMatrix.of(labels, predicted, numClasses));
    }
}

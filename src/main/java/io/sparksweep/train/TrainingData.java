package io.sparksweep.train;

import io.sparksweep.data.InputShape;
import io.sparksweep.data.PreparedData;
import io.sparksweep.data.Scaling;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Prepared data as ND4J arrays, built once and shared read-only by every trial in a JVM: features
 * {@code [n, C*H*W]} (CNNs reshape them to {@code [n, C, H, W]} in their input preprocessor), one-hot
 * labels {@code [n, classes]}, and the integer labels for metrics. {@code validationFeatures} is null when the
 * sweep holds no images out: then trials are measured on the test set after every epoch.
 */
public record TrainingData(InputShape shape, Scaling scaling, List<String> classNames, INDArray trainFeatures,
        INDArray trainOneHot, int[] trainLabels, INDArray validationFeatures, int[] validationLabels,
        INDArray testFeatures, int[] testLabels) {

    public static TrainingData of(PreparedData data) {
        return new TrainingData(data.shape(), data.scaling(), data.classNames(),
                Nd4j.create(data.trainFeatures(), new long[] {data.trainCount(), data.inputs()}, 'c'),
                oneHot(data.trainLabels(), data.numClasses()), data.trainLabels(),
                data.validationCount() == 0 ? null
                        : Nd4j.create(data.validationFeatures(), new long[] {data.validationCount(), data.inputs()}, 'c'),
                data.validationLabels(),
                Nd4j.create(data.testFeatures(), new long[] {data.testCount(), data.inputs()}, 'c'),
                data.testLabels());
    }

    public boolean hasValidation() {
        return validationFeatures != null;
    }

    public int numClasses() {
        return classNames.size();
    }

    public int trainCount() {
        return trainLabels.length;
    }

    static INDArray oneHot(int[] labels, int numClasses) {
        float[] values = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            values[i * numClasses + labels[i]] = 1f;
        }
        return Nd4j.create(values, new long[] {labels.length, numClasses}, 'c');
    }
}

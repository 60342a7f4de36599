package io.sparksweep.data;

import java.util.List;

/**
 * A dataset ready for training: normalised inputs ({@code shape.size()} floats per example, channel-major) and
 * labels re-indexed to {@code 0..numClasses-1}. The validation arrays are empty when the sweep holds nothing out.
 * {@code scaling} is what normalised them, fitted on the training part.
 */
public record PreparedData(InputShape shape, List<String> classNames, Scaling scaling, float[] trainFeatures,
        int[] trainLabels, float[] validationFeatures, int[] validationLabels, float[] testFeatures,
        int[] testLabels) {

    public int numClasses() {
        return classNames.size();
    }

    public int inputs() {
        return shape.size();
    }

    public int trainCount() {
        return trainLabels.length;
    }

    public int validationCount() {
        return validationLabels.length;
    }

    public int testCount() {
        return testLabels.length;
    }
}

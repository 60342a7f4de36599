package io.sparksweep.data;

import java.util.List;

/**
 * A dataset ready for training: normalised pixels (row-major, {@code rows * cols} floats per image) and labels
 * re-indexed to {@code 0..numClasses-1}. The validation arrays are empty when the sweep holds no images out.
 */
public record PreparedData(int rows, int cols, List<String> classNames, float[] trainFeatures, int[] trainLabels,
        float[] validationFeatures, int[] validationLabels, float[] testFeatures, int[] testLabels) {

    public int numClasses() {
        return classNames.size();
    }

    public int pixels() {
        return rows * cols;
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

package io.sparksweep.train;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/** The direct steps' input batch: rows of the training set gathered into one buffer, allocated once. */
final class TrainingBatch {
    // Held so the native memory under the buffers below stays allocated.
    private final INDArray features;
    private final INDArray batch;
    private final int[] labels;
    private final FloatBuffer featureBuf;
    private final FloatPointer batchPtr;
    private final int width;

    TrainingBatch(TrainingData data, int maxBatch) {
        this.features = data.trainFeatures();
        this.labels = data.trainLabels();
        this.width = (int) features.columns();
        this.featureBuf = ParamMemory.floats(features).asBuffer();
        this.batch = Nd4j.create(DataType.FLOAT, (long) maxBatch * width);
        this.batchPtr = ParamMemory.floats(batch);
    }

    /** Copies rows {@code order[from .. from + count)} into the batch, row-major; returns the batch's memory. */
    FloatPointer gather(int[] order, int from, int count) {
        FloatBuffer x = batchPtr.asBuffer();
        for (int i = 0; i < count; i++) {
            x.put(i * width, featureBuf, order[from + i] * width, width);
        }
        return batchPtr;
    }

    /** Every training image's class, indexed as {@code order} is. */
    int[] labels() {
        return labels;
    }
}

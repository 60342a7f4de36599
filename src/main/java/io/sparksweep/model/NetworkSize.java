package io.sparksweep.model;

import io.sparksweep.data.InputShape;
import io.sparksweep.grid.CnnGeometry;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.ModelFamily;

import java.util.ArrayList;
import java.util.List;

/**
 * A trial's network size worked out from its config alone, before anything is allocated: ND4J does not refuse
 * an allocation larger than the machine (the kernel kills the whole JVM instead), so the trainer checks this
 * first.
 */
public final class NetworkSize {
    private static final long FLOAT = 4;

    private NetworkSize() {
    }

    /** Weights and biases, e.g. 50,890 for 784-64-10. */
    public static long parameterCount(TrialConfig trial, InputShape shape, int numClasses) {
        long params = 0;
        for (long[] layer : layers(trial, shape, numClasses)) {
            params += layer[0];
        }
        return params;
    }

    /**
     * A conservative estimate of the bytes training needs: weights, gradients and updater state (Adam keeps two
     * values per weight, momentum one), and each layer's activations and their gradients for one batch.
     */
    public static long trainingBytes(TrialConfig trial, InputShape shape, int numClasses, int batchSize) {
        int updaterSlots = switch (trial.optimizer()) {
            case SGD -> 0;
            case MOMENTUM -> 1;
            case ADAM -> 2;
        };
        long params = 0;
        long activations = shape.size();
        for (long[] layer : layers(trial, shape, numClasses)) {
            params += layer[0];
            activations += layer[1];
        }
        return FLOAT * (params * (2 + updaterSlots) + 3L * batchSize * activations);
    }

    /** Per layer: {parameters, output values per example}. */
    private static List<long[]> layers(TrialConfig trial, InputShape shape, int numClasses) {
        List<long[]> layers = new ArrayList<>();
        long inputs = shape.size();
        if (trial.model() == ModelFamily.CNN) {
            int channelsIn = shape.channels();
            List<CnnGeometry.Block> blocks = CnnGeometry.blocks(shape.height(), shape.width(), trial.kernelSizes(),
                    trial.padding());
            for (int i = 0; i < blocks.size(); i++) {
                CnnGeometry.Block b = blocks.get(i);
                int channels = trial.convChannels().get(i);
                layers.add(new long[] {(long) b.kernel() * b.kernel() * channelsIn * channels + channels,
                        (long) channels * b.height().afterConv() * b.width().afterConv()});
                layers.add(new long[] {0, (long) channels * b.pooledHeight() * b.pooledWidth()});
                channelsIn = channels;
                inputs = (long) b.pooledHeight() * b.pooledWidth() * channelsIn;
            }
        }
        for (int size : trial.hiddenLayers()) {
            layers.add(new long[] {inputs * size + size, size});
            inputs = size;
        }
        layers.add(new long[] {inputs * numClasses + numClasses, numClasses});
        return layers;
    }
}

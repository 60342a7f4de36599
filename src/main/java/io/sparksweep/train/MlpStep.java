package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.ModelFamily;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training step of a plain MLP (dense layers, softmax output, cross-entropy), computed with a handful of
 * OpenBLAS calls and plain loops ({@link DenseLayers}) directly on the DL4J network's own parameter and
 * updater-state memory, with DL4J's semantics and updates ({@link StepUpdate}; Adam's bias correction from the
 * network's iteration count).
 *
 * <p>Why: for the small MLPs of the seed experiments, DL4J's {@code fit} spends most of each step on bookkeeping
 * (gradient views, updater blocks, workspace scopes, a JNI round trip per small op), not on the arithmetic. Here a
 * step is at most three matrix products per layer and loops over buffers allocated once. The network stays a DL4J
 * network, built and initialised by DL4J and checkpointed by it (weights, optimizer state, iteration count), so the
 * two paths are interchangeable mid-trial; evaluation uses this class's forward pass ({@link #probabilities}).
 *
 * <p>CPU backend only (the buffers are host memory); {@link #supports} says when it applies.
 */
final class MlpStep implements DirectStep {
    private final MultiLayerNetwork net;
    private final DenseLayers layers;
    private final StepUpdate update;
    private final int maxBatch;
    private final TrainingBatch batch;
    private long iteration;

    /** Trains {@code net} (which {@link #supports}) on {@code data} in batches of at most {@code maxBatch}. */
    MlpStep(MultiLayerNetwork net, TrialConfig trial, TrainingData data, int maxBatch) {
        this(net, trial, data, maxBatch, new ParamMemory(net, data != null));
    }

    /** @param data the training set, or null for the forward pass alone (no gradients or optimizer state) */
    private MlpStep(MultiLayerNetwork net, TrialConfig trial, TrainingData data, int maxBatch, ParamMemory memory) {
        boolean training = data != null;
        this.net = net;
        this.maxBatch = maxBatch;
        this.layers = new DenseLayers(net, 0, trial.activation(), memory, training ? maxBatch : 0,
                Math.max(maxBatch, Evaluator.BATCH));
        this.update = training ? new StepUpdate(net, trial, memory) : null;
        this.batch = training ? new TrainingBatch(data, maxBatch) : null;
        this.iteration = net.getIterationCount();
    }

    /**
     * The forward pass alone, over a trained network this step could have trained ({@link #supportsForward}):
     * evaluating a kept model with the very arithmetic its trial was evaluated with, so the numbers match exactly.
     */
    static Evaluator.Predictor predictor(MultiLayerNetwork net, TrialConfig trial) {
        return new MlpStep(net, trial, null, Evaluator.BATCH)::probabilities;
    }

    /** True when {@link #predictor} computes {@code net}'s forward pass: {@link #supports} without the optimizer. */
    static boolean supportsForward(MultiLayerNetwork net, TrialConfig trial) {
        if (trial.model() != ModelFamily.MLP || !NativeRuntime.cpuBackend()
                || net.params().dataType() != DataType.FLOAT || !ParamMemory.contiguous(net.params())) {
            return false;
        }
        for (Layer layer : net.getLayers()) {
            if (!DenseLayers.isDense(layer)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code net} is a network this step computes exactly: dense layers and a softmax output layer
     * only, on the CPU backend in single precision, with one optimizer for all parameters.
     */
    static boolean supports(MultiLayerNetwork net, TrialConfig trial) {
        return supportsForward(net, trial) && StepUpdate.supports(net, trial);
    }

    @Override
    public double fit(int[] order, int from, int count) {
        FloatPointer input = batch.gather(order, from, count);
        layers.forward(input, count);
        double loss = layers.lossAndDelta(batch.labels(), order, from, count);
        layers.backward(input, count, null);
        update.apply(iteration);
        iteration++;
        return loss;
    }

    /**
     * Class probabilities for rows {@code [start, end)} of {@code features} ({@code [n, inputs]}, at most
     * {@link Evaluator#BATCH} rows), row-major; the same forward pass as training, without copying the rows.
     */
    @Override
    public float[] probabilities(INDArray features, int start, int end) {
        int count = end - start;
        if (count > Math.max(maxBatch, Evaluator.BATCH) || features.columns() != layers.inputs()) {
            throw new IllegalArgumentException("cannot evaluate " + count + " rows of " + features.columns());
        }
        layers.forward(ParamMemory.floats(features).getPointer((long) start * layers.inputs()), count);
        return layers.output(count);
    }

    @Override
    public void sync() {
        net.setIterationCount((int) iteration);
    }

    /** Nothing beyond ND4J arrays, which ND4J frees. */
    @Override
    public void close() {
    }
}

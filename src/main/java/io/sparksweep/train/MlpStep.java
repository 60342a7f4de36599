package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.OptimizerKind;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * One training step of a plain MLP (dense layers, softmax output, cross-entropy), computed with a handful of
 * OpenBLAS calls and plain loops directly on the DL4J network's own parameter and updater-state memory, and
 * with DL4J's semantics: gradients averaged over the batch, DL4J's SGD, Nesterov momentum and Adam updates (Adam's
 * bias correction from the network's iteration count), DL4J's activation functions and its clipped loss.
 *
 * <p>Why: for the small MLPs of the seed experiments, DL4J's {@code fit} spends most of each step on bookkeeping
 * (gradient views, updater blocks, workspace scopes, a JNI round trip per small op), not on the arithmetic. Here a
 * step is at most three matrix products per layer and loops over buffers allocated once. The network stays a DL4J
 * network, built and initialised by DL4J and checkpointed by it (weights, optimizer state, iteration count), so the
 * two paths are interchangeable mid-trial; evaluation uses this class's forward pass ({@link #probabilities}).
 *
 * <p>CPU backend only (the buffers are host memory); {@link #supports} says when it applies.
 */
final class MlpStep {
    /** DL4J's LossMCXENT clips softmax outputs at this before the log. */
    private static final double SOFTMAX_CLIP = 1e-10;
    /** DL4J's LEAKYRELU slope. */
    static final float LEAKY_ALPHA = 0.01f;
    private static final int ROW_MAJOR = openblas_nolapack.CblasRowMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    private final MultiLayerNetwork net;
    private final ActivationKind activation;
    private final OptimizerKind optimizer;
    private final float learningRate;
    private final float momentum;
    /** Layer widths: {@code width[0]} inputs, then each layer's outputs. */
    private final int[] width;
    private final int layers;
    private final int maxBatch;
    private final long paramCount;

    // Held so the native memory under the pointers below stays allocated.
    private final INDArray params;
    private final INDArray gradient;
    private final INDArray state;
    private final INDArray trainFeatures;
    private final int[] trainLabels;

    private final FloatBuffer paramBuf;
    private final FloatBuffer gradBuf;
    private final FloatBuffer stateBuf;
    private final FloatBuffer featureBuf;
    private final FloatPointer paramPtr;
    private final FloatPointer gradPtr;
    private final FloatPointer[] weights;
    private final FloatPointer[] weightGrads;
    private final int[] weightOffset;
    private final int[] biasOffset;
    /**
     * Per layer l (0 = the gathered input batch): activations {@code [rows, width[l]]}, row-major; layers 1 and up
     * have room for an evaluation batch too.
     */
    private final FloatPointer[] act;
    private final FloatBuffer[] actBuf;
    /** Per layer l >= 1: the loss gradient with respect to the layer's pre-activation, {@code [batch, width[l]]}. */
    private final FloatPointer[] delta;
    private final FloatBuffer[] deltaBuf;
    /** The arrays under {@code act} and {@code delta}, held for the same reason as {@code params} and the rest. */
    private final INDArray[] owned;
    private long iteration;

    /** Trains {@code net} (which {@link #supports}) on {@code data} in batches of at most {@code maxBatch}. */
    MlpStep(MultiLayerNetwork net, TrialConfig trial, TrainingData data, int maxBatch) {
        this(net, trial, data, (int) data.trainFeatures().columns(), maxBatch);
    }

    /**
     * @param data the training set, or null for the forward pass alone (no gradients, optimizer state or
     *        training batches are touched or allocated)
     */
    private MlpStep(MultiLayerNetwork net, TrialConfig trial, TrainingData data, int inputs, int maxBatch) {
        boolean training = data != null;
        this.net = net;
        this.activation = trial.activation();
        this.optimizer = trial.optimizer();
        this.learningRate = (float) trial.learningRate();
        this.momentum = (float) trial.momentum();
        this.maxBatch = maxBatch;
        this.layers = net.getnLayers();
        this.width = new int[layers + 1];
        width[0] = inputs;
        for (int l = 0; l < layers; l++) {
            width[l + 1] = (int) net.getLayer(l).getParam("W").columns();
        }
        this.params = net.params();
        this.paramCount = params.length();
        this.gradient = training ? Nd4j.zeros(params.dataType(), paramCount) : null;
        this.state = training ? net.getUpdater().getStateViewArray() : null;
        this.trainFeatures = training ? data.trainFeatures() : null;
        this.trainLabels = training ? data.trainLabels() : null;
        this.paramPtr = floats(params);
        this.gradPtr = training ? floats(gradient) : null;
        this.paramBuf = paramPtr.asBuffer();
        this.gradBuf = training ? gradPtr.asBuffer() : null;
        this.stateBuf = state == null ? null : floats(state).asBuffer();
        this.featureBuf = training ? floats(trainFeatures).asBuffer() : null;
        weights = new FloatPointer[layers + 1];
        weightGrads = new FloatPointer[layers + 1];
        weightOffset = new int[layers + 1];
        biasOffset = new int[layers + 1];
        int offset = 0;
        for (int l = 1; l <= layers; l++) {
            // DL4J keeps each dense layer's W as an 'f'-order [in, out] block followed by b [out]: read row-major,
            // the W block is W transposed, [out, in].
            weightOffset[l] = offset;
            biasOffset[l] = offset + width[l - 1] * width[l];
            offset = biasOffset[l] + width[l];
            weights[l] = new FloatPointer(paramPtr).position(weightOffset[l]);
            weightGrads[l] = training ? new FloatPointer(gradPtr).position(weightOffset[l]) : null;
        }
        owned = new INDArray[2 * layers + 1];
        act = new FloatPointer[layers + 1];
        actBuf = new FloatBuffer[layers + 1];
        delta = new FloatPointer[layers + 1];
        deltaBuf = new FloatBuffer[layers + 1];
        for (int l = training ? 0 : 1; l <= layers; l++) {
            int rows = l == 0 ? maxBatch : Math.max(maxBatch, Evaluator.BATCH);
            owned[l] = Nd4j.create(params.dataType(), (long) rows * width[l]);
            act[l] = floats(owned[l]);
            actBuf[l] = act[l].asBuffer();
            if (l > 0 && training) {
                owned[layers + l] = Nd4j.create(params.dataType(), (long) maxBatch * width[l]);
                delta[l] = floats(owned[layers + l]);
                deltaBuf[l] = delta[l].asBuffer();
            }
        }
        this.iteration = net.getIterationCount();
        checkLayout();
    }

    /**
     * The forward pass alone, over a trained network this step could have trained ({@link #supportsForward}):
     * evaluating a kept model with the very arithmetic its trial was evaluated with, so the numbers match exactly.
     */
    static Evaluator.Predictor predictor(MultiLayerNetwork net, TrialConfig trial) {
        int inputs = (int) net.getLayer(0).getParam("W").rows();
        return new MlpStep(net, trial, null, inputs, Evaluator.BATCH)::probabilities;
    }

    /** True when {@link #predictor} computes {@code net}'s forward pass: {@link #supports} without the optimizer. */
    static boolean supportsForward(MultiLayerNetwork net, TrialConfig trial) {
        return layersSupported(net, trial);
    }

    /**
     * True when {@code net} is a network this step computes exactly: dense layers and a softmax output layer
     * only, on the CPU backend in single precision, with one optimizer for all parameters.
     */
    static boolean supports(MultiLayerNetwork net, TrialConfig trial) {
        if (!layersSupported(net, trial)) {
            return false;
        }
        if (net.getUpdater() instanceof MultiLayerUpdater updater && updater.getUpdaterBlocks().size() > 1) {
            return false;
        }
        // The optimizer state this step reads: Nesterov's velocity, or Adam's [m, v], for every parameter.
        INDArray state = net.getUpdater().getStateViewArray();
        long slots = switch (trial.optimizer()) {
            case SGD -> 0;
            case MOMENTUM -> 1;
            case ADAM -> 2;
        };
        return (state == null ? 0 : state.length()) == slots * net.params().length()
                && contiguous(net.params()) && (state == null || contiguous(state));
    }

    /** An MLP of dense layers and a softmax output on the CPU backend in single precision. */
    private static boolean layersSupported(MultiLayerNetwork net, TrialConfig trial) {
        if (trial.model() != ModelFamily.MLP
                || !Nd4j.getBackend().getClass().getSimpleName().equals("CpuBackend")
                || net.params().dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT
                || net.params().length() > Integer.MAX_VALUE || !contiguous(net.params())) {
            return false;
        }
        for (Layer layer : net.getLayers()) {
            if (!(layer instanceof org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer
                    || layer instanceof org.deeplearning4j.nn.layers.OutputLayer)) {
                return false;
            }
        }
        return true;
    }

    /** A whole array in row-major order: its memory is exactly its elements, from the buffer's start. */
    private static boolean contiguous(INDArray array) {
        return !array.isView() && array.ordering() == 'c';
    }

    /** Trains on the given rows of the training set (one step) and returns the batch's mean loss. */
    double fit(int[] order, int from, int count) {
        gather(order, from, count);
        forward(act[0], count);
        double loss = lossAndDelta(order, from, count);
        for (int l = layers; l >= 1; l--) {
            backward(l, count);
        }
        update();
        iteration++;
        return loss;
    }

    /**
     * Class probabilities for rows {@code [start, end)} of {@code features} ({@code [n, inputs]}, at most
     * {@link Evaluator#BATCH} rows), row-major; the same forward pass as training, without copying the rows.
     */
    float[] probabilities(INDArray features, int start, int end) {
        int count = end - start;
        if (count > Math.max(maxBatch, Evaluator.BATCH) || features.columns() != width[0]) {
            throw new IllegalArgumentException("cannot evaluate " + count + " rows of " + features.columns());
        }
        forward(floats(features).position((long) start * width[0]), count);
        float[] out = new float[count * width[layers]];
        actBuf[layers].get(0, out);
        return out;
    }

    /** Hands the iteration count back to the network, so DL4J (and a checkpoint) continue where this left off. */
    void sync() {
        net.setIterationCount((int) iteration);
    }

    private void gather(int[] order, int from, int count) {
        int w = width[0];
        FloatBuffer x = actBuf[0];
        for (int i = 0; i < count; i++) {
            x.put(i * w, featureBuf, order[from + i] * w, w);
        }
    }

    /** From {@code input} through every layer: act[layers] ends as the softmax probabilities. */
    private void forward(FloatPointer input, int count) {
        for (int l = 1; l <= layers; l++) {
            forward(l, l == 1 ? input : act[l - 1], count);
        }
        softmax(count);
    }

    /** act[l] = f(input W + b), with W read as [out, in] row-major; the output layer keeps its logits. */
    private void forward(int l, FloatPointer input, int count) {
        int in = width[l - 1];
        int out = width[l];
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, count, out, in, 1f, input, in, weights[l], in,
                0f, act[l], out);
        FloatBuffer a = actBuf[l];
        int b = biasOffset[l];
        boolean hidden = l < layers;
        for (int i = 0; i < count; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) {
                float z = a.get(row + j) + paramBuf.get(b + j);
                a.put(row + j, hidden ? activate(z) : z);
            }
        }
    }

    /** Turns each row of the output layer's logits into probabilities, in place. */
    private void softmax(int count) {
        int out = width[layers];
        FloatBuffer a = actBuf[layers];
        for (int i = 0; i < count; i++) {
            int row = i * out;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < out; j++) {
                max = Math.max(max, a.get(row + j));
            }
            float sum = 0;
            for (int j = 0; j < out; j++) {
                float e = (float) Math.exp(a.get(row + j) - max);
                a.put(row + j, e);
                sum += e;
            }
            for (int j = 0; j < out; j++) {
                a.put(row + j, a.get(row + j) / sum);
            }
        }
    }

    /** The output layer's delta, (p - onehot) / batch, and the batch's mean loss. */
    private double lossAndDelta(int[] order, int from, int count) {
        int out = width[layers];
        FloatBuffer a = actBuf[layers];
        FloatBuffer d = deltaBuf[layers];
        double lossSum = 0;
        float scale = 1f / count;
        for (int i = 0; i < count; i++) {
            int row = i * out;
            int label = trainLabels[order[from + i]];
            for (int j = 0; j < out; j++) {
                float p = a.get(row + j);
                d.put(row + j, (j == label ? p - 1f : p) * scale);
            }
            lossSum -= Math.log(Math.max(a.get(row + label), SOFTMAX_CLIP));
        }
        return lossSum / count;
    }

    /** Gradients of layer l's W and b from its delta, then the delta of layer l-1 (not for the input). */
    private void backward(int l, int count) {
        int in = width[l - 1];
        int out = width[l];
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, out, in, count, 1f, delta[l], out, act[l - 1], in,
                0f, weightGrads[l], in);
        FloatBuffer d = deltaBuf[l];
        int b = biasOffset[l];
        for (int j = 0; j < out; j++) {
            gradBuf.put(b + j, 0f);
        }
        for (int i = 0; i < count; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) {
                gradBuf.put(b + j, gradBuf.get(b + j) + d.get(row + j));
            }
        }
        if (l > 1) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, count, in, out, 1f, delta[l], out,
                    weights[l], in, 0f, delta[l - 1], in);
            FloatBuffer prev = deltaBuf[l - 1];
            FloatBuffer a = actBuf[l - 1];
            int n = count * in;
            for (int i = 0; i < n; i++) {
                prev.put(i, prev.get(i) * derivative(a.get(i)));
            }
        }
    }

    private void update() {
        int n = (int) paramCount;
        switch (optimizer) {
            case SGD -> openblas_nolapack.cblas_saxpy(n, -learningRate, gradPtr, 1, paramPtr, 1);
            case MOMENTUM -> {
                // DL4J's Nesterovs: v' = mu v - lr g; params += (1 + mu) v' - mu v.
                float mu = momentum;
                for (int i = 0; i < n; i++) {
                    float v = stateBuf.get(i);
                    float next = mu * v - learningRate * gradBuf.get(i);
                    stateBuf.put(i, next);
                    paramBuf.put(i, paramBuf.get(i) + (1f + mu) * next - mu * v);
                }
            }
            case ADAM -> {
                // DL4J's Adam (defaults beta1 0.9, beta2 0.999, epsilon 1e-8), state laid out as [m..., v...].
                double beta1 = 0.9;
                double beta2 = 0.999;
                float epsilon = 1e-8f;
                long t = iteration + 1;
                float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
                float b1 = (float) beta1;
                float b2 = (float) beta2;
                for (int i = 0; i < n; i++) {
                    float g = gradBuf.get(i);
                    float m = b1 * stateBuf.get(i) + (1 - b1) * g;
                    float v = b2 * stateBuf.get(n + i) + (1 - b2) * g * g;
                    stateBuf.put(i, m);
                    stateBuf.put(n + i, v);
                    paramBuf.put(i, paramBuf.get(i) - alpha * m / ((float) Math.sqrt(v) + epsilon));
                }
            }
        }
    }

    private float activate(float z) {
        return activate(activation, z);
    }

    /** DL4J's activation functions (its LEAKYRELU has slope {@link #LEAKY_ALPHA}, its ELU alpha 1). */
    static float activate(ActivationKind activation, float z) {
        return switch (activation) {
            case RELU -> z > 0 ? z : 0f;
            case LEAKYRELU -> z > 0 ? z : LEAKY_ALPHA * z;
            case TANH -> (float) Math.tanh(z);
            case SIGMOID -> (float) (1 / (1 + Math.exp(-z)));
            case ELU -> z > 0 ? z : (float) Math.expm1(z);
        };
    }

    /** The activation's derivative, written in terms of its output {@code a} (all five allow it). */
    private float derivative(float a) {
        return switch (activation) {
            case RELU -> a > 0 ? 1f : 0f;
            case LEAKYRELU -> a > 0 ? 1f : LEAKY_ALPHA;
            case TANH -> 1f - a * a;
            case SIGMOID -> a * (1f - a);
            case ELU -> a > 0 ? 1f : a + 1f;
        };
    }

    /** Checks that every layer's W and b sit where this step reads them: DL4J's flat layout is not an API. */
    private void checkLayout() {
        for (int l = 1; l <= layers; l++) {
            INDArray w = net.getLayer(l - 1).getParam("W");
            INDArray b = net.getLayer(l - 1).getParam("b");
            int in = width[l - 1];
            int out = width[l];
            long[][] probes = {{0, 0}, {in - 1, out - 1}, {in / 2, out / 3}, {in - 1, 0}};
            for (long[] p : probes) {
                if (w.getFloat(p[0], p[1]) != paramBuf.get(weightOffset[l] + (int) (p[1] * in + p[0]))) {
                    throw new IllegalStateException("unexpected parameter layout in layer " + (l - 1));
                }
            }
            if (b.getFloat(out - 1) != paramBuf.get(biasOffset[l] + out - 1)) {
                throw new IllegalStateException("unexpected bias layout in layer " + (l - 1));
            }
        }
    }

    private static FloatPointer floats(INDArray array) {
        if (!contiguous(array)) {
            throw new IllegalArgumentException("expected a whole row-major array, got a view or 'f' order");
        }
        FloatPointer pointer = new FloatPointer(array.data().addressPointer());
        pointer.capacity(array.length());
        return pointer;
    }
}

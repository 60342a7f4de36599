package io.sparksweep.train;

import io.sparksweep.spec.ActivationKind;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The dense layers ending a network (hidden layers, then the softmax output with cross-entropy), forward and
 * backward, with OpenBLAS products and plain loops on the network's own parameter memory and DL4J's semantics:
 * gradients averaged over the batch, DL4J's activation functions and its clipped loss. The whole of an MLP's step
 * ({@link MlpStep}) and the tail of a CNN's ({@link CnnStep}).
 */
final class DenseLayers {
    /** DL4J's LossMCXENT clips softmax outputs at this before the log. */
    private static final double SOFTMAX_CLIP = 1e-10;
    /** DL4J's LEAKYRELU slope. */
    static final float LEAKY_ALPHA = 0.01f;
    private static final int ROW_MAJOR = openblas_nolapack.CblasRowMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    private final ActivationKind activation;
    /** Layer widths: {@code width[0]} inputs, then each layer's outputs. */
    private final int[] width;
    private final int layers;
    /** Per layer l >= 1: W read row-major as {@code [out, in]} (DL4J's 'f'-order {@code [in, out]}), and b. */
    private final FloatPointer[] weights;
    private final FloatBuffer[] bias;
    private final FloatPointer[] weightGrads;
    private final FloatBuffer[] biasGrads;
    /** Per layer l >= 1: activations {@code [rows, width[l]]}, row-major. */
    private final FloatPointer[] act;
    private final FloatBuffer[] actBuf;
    /** Per layer l >= 1: the loss gradient with respect to the layer's pre-activation, {@code [batch, width[l]]}. */
    private final FloatPointer[] delta;
    private final FloatBuffer[] deltaBuf;
    /** The arrays under {@code act} and {@code delta}, held so their native memory stays allocated. */
    private final List<INDArray> owned = new ArrayList<>();

    /**
     * The network's dense layers after its first {@code skip} layers, reading (and, when {@code memory} has a
     * gradient, training) their parameters in {@code memory}.
     *
     * @param trainRows the largest training batch (0: forward only)
     * @param rows the largest batch of any forward pass
     */
    DenseLayers(MultiLayerNetwork net, int skip, ActivationKind activation, ParamMemory memory, int trainRows,
            int rows) {
        this.activation = activation;
        this.layers = net.getnLayers() - skip;
        this.width = new int[layers + 1];
        weights = new FloatPointer[layers + 1];
        bias = new FloatBuffer[layers + 1];
        weightGrads = new FloatPointer[layers + 1];
        biasGrads = new FloatBuffer[layers + 1];
        act = new FloatPointer[layers + 1];
        actBuf = new FloatBuffer[layers + 1];
        delta = new FloatPointer[layers + 1];
        deltaBuf = new FloatBuffer[layers + 1];
        for (int l = 1; l <= layers; l++) {
            Layer layer = net.getLayer(skip + l - 1);
            if (!isDense(layer)) {
                throw new IllegalStateException("expected dense layers after layer " + skip + ", got " + layer);
            }
            INDArray w = layer.getParam("W");
            INDArray b = layer.getParam("b");
            width[l - 1] = (int) w.rows();
            width[l] = (int) w.columns();
            weights[l] = memory.param(w, w.length());
            bias[l] = memory.param(b, width[l]).asBuffer();
            if (trainRows > 0) {
                weightGrads[l] = memory.grad(w, w.length());
                biasGrads[l] = memory.grad(b, width[l]).asBuffer();
                delta[l] = buffer((long) trainRows * width[l]);
                deltaBuf[l] = delta[l].asBuffer();
            }
            act[l] = buffer((long) Math.max(trainRows, rows) * width[l]);
            actBuf[l] = act[l].asBuffer();
        }
    }

    private FloatPointer buffer(long length) {
        INDArray array = Nd4j.create(DataType.FLOAT, length);
        owned.add(array);
        return ParamMemory.floats(array);
    }

    static boolean isDense(Layer layer) {
        return layer instanceof DenseLayer || layer instanceof OutputLayer;
    }

    int inputs() {
        return width[0];
    }

    int classes() {
        return width[layers];
    }

    /** From {@code input} ({@code [count, inputs]}, row-major) through every layer to the softmax probabilities. */
    void forward(FloatPointer input, int count) {
        for (int l = 1; l <= layers; l++) {
            forward(l, l == 1 ? input : act[l - 1], count);
        }
        softmax(count);
    }

    /** The probabilities of the latest forward pass, {@code [count, classes]}, row-major. */
    float[] output(int count) {
        float[] out = new float[count * classes()];
        actBuf[layers].get(0, out);
        return out;
    }

    /** act[l] = f(input W + b), with W read as [out, in] row-major; the output layer keeps its logits. */
    private void forward(int l, FloatPointer input, int count) {
        int in = width[l - 1];
        int out = width[l];
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, count, out, in, 1f, input, in, weights[l], in,
                0f, act[l], out);
        FloatBuffer a = actBuf[l];
        FloatBuffer b = bias[l];
        boolean hidden = l < layers;
        for (int i = 0; i < count; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) {
                float z = a.get(row + j) + b.get(j);
                a.put(row + j, hidden ? activate(activation, z) : z);
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

    /** The output layer's delta, (p - onehot) / batch, and the batch's mean loss; row i's label is labels[order[from + i]]. */
    double lossAndDelta(int[] labels, int[] order, int from, int count) {
        int out = width[layers];
        FloatBuffer a = actBuf[layers];
        FloatBuffer d = deltaBuf[layers];
        double lossSum = 0;
        float scale = 1f / count;
        for (int i = 0; i < count; i++) {
            int row = i * out;
            int label = labels[order[from + i]];
            for (int j = 0; j < out; j++) {
                float p = a.get(row + j);
                d.put(row + j, (j == label ? p - 1f : p) * scale);
            }
            lossSum -= Math.log(Math.max(a.get(row + label), SOFTMAX_CLIP));
        }
        return lossSum / count;
    }

    /**
     * Every layer's gradients, from the output back; then, when {@code inputDelta} is given, the loss gradient with
     * respect to the input ({@code [count, inputs]}), which a CNN's pooled features need and an MLP's images don't.
     */
    void backward(FloatPointer input, int count, FloatPointer inputDelta) {
        for (int l = layers; l >= 1; l--) {
            gradients(l, l == 1 ? input : act[l - 1], count);
            if (l > 1) {
                deltaBelow(l, count, delta[l - 1]);
                FloatBuffer prev = deltaBuf[l - 1];
                FloatBuffer a = actBuf[l - 1];
                int n = count * width[l - 1];
                for (int i = 0; i < n; i++) {
                    prev.put(i, prev.get(i) * derivative(a.get(i)));
                }
            } else if (inputDelta != null) {
                deltaBelow(1, count, inputDelta);
            }
        }
    }

    /** Gradients of layer l's W and b from its delta. */
    private void gradients(int l, FloatPointer input, int count) {
        int in = width[l - 1];
        int out = width[l];
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, out, in, count, 1f, delta[l], out, input, in,
                0f, weightGrads[l], in);
        FloatBuffer d = deltaBuf[l];
        FloatBuffer g = biasGrads[l];
        for (int j = 0; j < out; j++) {
            g.put(j, 0f);
        }
        for (int i = 0; i < count; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) {
                g.put(j, g.get(j) + d.get(row + j));
            }
        }
    }

    /** {@code below = delta[l] W}: the gradient with respect to layer l's input. */
    private void deltaBelow(int l, int count, FloatPointer below) {
        int in = width[l - 1];
        int out = width[l];
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, count, in, out, 1f, delta[l], out, weights[l],
                in, 0f, below, in);
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
}

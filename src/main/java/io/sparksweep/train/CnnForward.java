package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.ModelFamily;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forward pass of the CNNs SparkSweep builds (convolution + activation + 2x2 max pooling blocks, dense layers,
 * softmax), on oneDNN's primitives called directly through the JavaCPP binding ND4J's oneDNN build links against,
 * reading the DL4J network's own parameter memory. Activations stay in the layouts the primitives choose (blocked,
 * e.g. {@code nChw8c}) from one block to the next and are reordered to plain NCHW once, before the dense layers,
 * which are OpenBLAS products as in {@link MlpStep}; bias and activation are fused into each convolution. The
 * first piece of a direct CNN training step (issue 17): evaluation through it, and the forward half of a step.
 *
 * <p>Primitives are built once per batch size (a full evaluation batch and the last, short one).
 */
final class CnnForward {
    private final MultiLayerNetwork net;
    private final ActivationKind activation;
    private final int rows;
    private final int cols;
    private final List<ConvBlock> convs = new ArrayList<>();
    private final List<Dense> dense = new ArrayList<>();
    private final engine cpu = new engine(engine.kind.cpu, 0);
    private final stream stream = new stream(cpu);
    private final Map<Integer, Plan> plans = new HashMap<>();

    /** A conv layer's shape and where DL4J keeps its weights ({@code oihw}) and bias. */
    private record ConvBlock(int in, int out, int kernel, int padding, int inSide, int outSide, int pooledSide,
            FloatPointer weights, FloatPointer bias) {
    }

    /** A dense layer: {@code weights} row-major {@code [out, in]} (DL4J's 'f'-order {@code [in, out]}), then bias. */
    private record Dense(int in, int out, FloatPointer weights, FloatPointer bias) {
    }

    CnnForward(MultiLayerNetwork net, TrialConfig trial, int rows, int cols) {
        if (rows != cols) {
            throw new IllegalArgumentException("square images only, got " + rows + "x" + cols);
        }
        this.net = net;
        this.activation = trial.activation();
        this.rows = rows;
        this.cols = cols;
        readLayers(trial);
    }

    /** True for networks this class computes: SparkSweep's CNNs on the CPU backend in single precision. */
    static boolean supports(MultiLayerNetwork net, TrialConfig trial) {
        return trial.model() == ModelFamily.CNN
                && Nd4j.getBackend().getClass().getSimpleName().equals("CpuBackend")
                && net.params().dataType() == DataType.FLOAT;
    }

    private void readLayers(TrialConfig trial) {
        int side = rows;
        int channels = 1;
        int block = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer) {
                int k = trial.kernelSizes().get(block);
                int p = trial.padding().get(block);
                int out = trial.convChannels().get(block);
                int convSide = side + 2 * p - k + 1;
                if (layer.getParam("W").ordering() != 'c') {
                    throw new IllegalStateException("expected DL4J's 'c'-order [out, in, kH, kW] conv weights");
                }
                convs.add(new ConvBlock(channels, out, k, p, side, convSide, convSide / 2,
                        pointer(layer.getParam("W"), (long) out * channels * k * k), pointer(layer.getParam("b"), out)));
                side = convSide / 2;
                channels = out;
                block++;
            } else if (!(layer instanceof SubsamplingLayer)) {
                INDArray w = layer.getParam("W");
                if (w.ordering() != 'f') {
                    throw new IllegalStateException("expected DL4J's 'f'-order dense weights");
                }
                dense.add(new Dense((int) w.rows(), (int) w.columns(), pointer(w, w.length()),
                        pointer(layer.getParam("b"), w.columns())));
            }
        }
        if (convs.isEmpty() || dense.isEmpty() || dense.get(0).in() != channels * side * side) {
            throw new IllegalStateException("not a network of conv blocks and dense layers: " + trial.label());
        }
    }

    /**
     * The memory under a parameter array, wherever its view starts: checked against the array's own reads,
     * since a view's offset into its buffer is not an API.
     */
    private static FloatPointer pointer(INDArray array, long length) {
        if (array.length() != length || array.dataType() != DataType.FLOAT) {
            throw new IllegalStateException("unexpected parameter of " + array.length() + " " + array.dataType());
        }
        FloatPointer base = new FloatPointer(array.data().addressPointer());
        base.capacity(array.data().length());
        INDArray flat = Nd4j.toFlattened(array.ordering(), array);
        long[] probes = {0, length / 2, length - 1};
        for (long offset : new long[] {array.offset(), 0}) {
            boolean found = offset + length <= array.data().length();
            for (long i : probes) {
                found &= found && base.get(offset + i) == flat.getFloat(i);
            }
            if (found) {
                // an address of its own, position 0: what a void* parameter of the binding receives
                return base.getPointer(offset).capacity(length);
            }
        }
        throw new IllegalStateException("cannot find a parameter's memory");
    }

    /**
     * Class probabilities for rows {@code [start, end)} of {@code features} ({@code [n, rows * cols]}, row-major),
     * row-major {@code [end - start, classes]}.
     */
    float[] probabilities(INDArray features, int start, int end) {
        int n = end - start;
        Plan plan = plans.computeIfAbsent(n, Plan::new);
        FloatPointer input = new FloatPointer(features.data().addressPointer())
                .getPointer((long) start * rows * cols);
        return plan.run(input);
    }

    /** The primitives and buffers for one batch size. */
    private final class Plan {
        private final int n;
        private final List<primitive> steps = new ArrayList<>();
        private final List<IntMemoryMap> args = new ArrayList<>();
        private final memory input;
        /** Each conv layer's weights as DL4J keeps them, and the reorder into the layout its primitive wants. */
        private final List<primitive> weightReorders = new ArrayList<>();
        private final List<IntMemoryMap> weightArgs = new ArrayList<>();
        private final INDArray flat;
        private final INDArray[] activations;

        Plan(int n) {
            this.n = n;
            memory.desc inputDesc = desc(new long[] {n, 1, rows, cols}, memory.format_tag.nchw);
            input = new memory(inputDesc, cpu, (Pointer) null);
            memory src = input;
            for (ConvBlock c : convs) {
                src = convBlock(c, src);
            }
            ConvBlock last = convs.get(convs.size() - 1);
            flat = Nd4j.create(DataType.FLOAT, n, (long) last.out() * last.pooledSide() * last.pooledSide());
            memory plain = new memory(desc(new long[] {n, last.out(), last.pooledSide(), last.pooledSide()},
                    memory.format_tag.nchw), cpu, flat.data().addressPointer());
            add(new reorder(src, plain), map(dnnl.DNNL_ARG_FROM, src, dnnl.DNNL_ARG_TO, plain));
            activations = new INDArray[dense.size()];
            for (int l = 0; l < dense.size(); l++) {
                activations[l] = Nd4j.create(DataType.FLOAT, n, dense.get(l).out());
            }
        }

        /** Convolution with bias and activation fused, then max pooling; returns the pooled memory. */
        private memory convBlock(ConvBlock c, memory from) {
            memory.desc weightsAny = desc(new long[] {c.out(), c.in(), c.kernel(), c.kernel()}, memory.format_tag.any);
            memory.desc bias = desc(new long[] {c.out()}, memory.format_tag.x);
            memory.desc dstAny = desc(new long[] {n, c.out(), c.outSide(), c.outSide()}, memory.format_tag.any);
            long[] stride = {1, 1};
            long[] pad = {c.padding(), c.padding()};
            // The first block reads the images as they are (plain NCHW); the others let the convolution choose its
            // input layout: handed the pooling's (say 8 channels padded to 16), it may find only the reference
            // kernel, a hundred times slower.
            memory.desc srcDesc = from == input ? from.get_desc()
                    : desc(new long[] {n, c.in(), c.inSide(), c.inSide()}, memory.format_tag.any);
            convolution_forward.desc conv = new convolution_forward.desc(dnnl.prop_kind.forward_inference,
                    dnnl.algorithm.convolution_direct, srcDesc, weightsAny, bias, dstAny, stride, pad, pad);
            post_ops ops = new post_ops();
            ops.append_eltwise(1f, eltwise(), alpha(), 0f);
            primitive_attr attr = new primitive_attr();
            attr.set_post_ops(ops);
            convolution_forward.primitive_desc pd = new convolution_forward.primitive_desc(conv, attr, cpu);
            memory src = from;
            if (dnnl.dnnl_memory_desc_equal(from.get_desc().data(), pd.src_desc().data()) == 0) {
                src = new memory(pd.src_desc(), cpu);
                add(new reorder(from, src), map(dnnl.DNNL_ARG_FROM, from, dnnl.DNNL_ARG_TO, src));
            }
            memory userWeights = new memory(desc(new long[] {c.out(), c.in(), c.kernel(), c.kernel()},
                    memory.format_tag.oihw), cpu, c.weights());
            memory weights = new memory(pd.weights_desc(), cpu);
            weightReorders.add(new reorder(userWeights, weights));
            weightArgs.add(map(dnnl.DNNL_ARG_FROM, userWeights, dnnl.DNNL_ARG_TO, weights));
            memory biasMemory = new memory(bias, cpu, c.bias());
            memory dst = new memory(pd.dst_desc(), cpu);
            IntMemoryMap convArgs = map(dnnl.DNNL_ARG_SRC, src, dnnl.DNNL_ARG_WEIGHTS, weights, dnnl.DNNL_ARG_DST, dst);
            convArgs.put(dnnl.DNNL_ARG_BIAS, biasMemory);
            add(new convolution_forward(pd), convArgs);
            return pooling(c, dst);
        }

        /** 2x2 max pooling of stride 2 into the layout the pooling chooses. */
        private memory pooling(ConvBlock c, memory dst) {
            memory.desc pooledAny = desc(new long[] {n, c.out(), c.pooledSide(), c.pooledSide()}, memory.format_tag.any);
            long[] window = {2, 2};
            long[] none = {0, 0};
            pooling_forward.desc pool = new pooling_forward.desc(dnnl.prop_kind.forward_inference,
                    dnnl.algorithm.pooling_max, dst.get_desc(), pooledAny, window, window, none, none);
            pooling_forward.primitive_desc poolPd = new pooling_forward.primitive_desc(pool, cpu);
            memory pooled = new memory(poolPd.dst_desc(), cpu);
            add(new pooling_forward(poolPd), map(dnnl.DNNL_ARG_SRC, dst, dnnl.DNNL_ARG_DST, pooled));
            return pooled;
        }

        private void add(primitive p, IntMemoryMap a) {
            steps.add(p);
            args.add(a);
        }

        float[] run(FloatPointer features) {
            input.set_data_handle(features);
            for (int i = 0; i < weightReorders.size(); i++) {
                weightReorders.get(i).execute(stream, weightArgs.get(i));
            }
            for (int i = 0; i < steps.size(); i++) {
                steps.get(i).execute(stream, args.get(i));
            }
            stream._wait();
            INDArray x = flat;
            for (int l = 0; l < dense.size(); l++) {
                denseForward(dense.get(l), x, activations[l], l < dense.size() - 1);
                x = activations[l];
            }
            float[] out = x.data().asFloat();
            softmax(out, dense.get(dense.size() - 1).out());
            return out;
        }
    }

    /** y = f(x W + b), W read as {@code [out, in]} row-major; the output layer keeps its logits. */
    private void denseForward(Dense d, INDArray x, INDArray y, boolean hidden) {
        int count = (int) x.rows();
        FloatPointer in = new FloatPointer(x.data().addressPointer());
        FloatPointer out = new FloatPointer(y.data().addressPointer());
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasTrans, count, d.out(), d.in(), 1f, in, d.in(), d.weights(), d.in(), 0f, out,
                d.out());
        FloatBuffer a = out.capacity((long) count * d.out()).asBuffer();
        FloatBuffer b = d.bias().asBuffer();
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < d.out(); j++) {
                float z = a.get(i * d.out() + j) + b.get(j);
                a.put(i * d.out() + j, hidden ? MlpStep.activate(activation, z) : z);
            }
        }
    }

    private static void softmax(float[] logits, int classes) {
        for (int row = 0; row < logits.length; row += classes) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, logits[row + j]);
            }
            float sum = 0;
            for (int j = 0; j < classes; j++) {
                logits[row + j] = (float) Math.exp(logits[row + j] - max);
                sum += logits[row + j];
            }
            for (int j = 0; j < classes; j++) {
                logits[row + j] /= sum;
            }
        }
    }

    /** oneDNN's name for the activation, fused into the convolution as a post-op. */
    private dnnl.algorithm eltwise() {
        return switch (activation) {
            case RELU, LEAKYRELU -> dnnl.algorithm.eltwise_relu;
            case TANH -> dnnl.algorithm.eltwise_tanh;
            case SIGMOID -> dnnl.algorithm.eltwise_logistic;
            case ELU -> dnnl.algorithm.eltwise_elu;
        };
    }

    /** The eltwise alpha: leaky ReLU's slope, ELU's scale (DL4J's ELU has alpha 1). */
    private float alpha() {
        return switch (activation) {
            case LEAKYRELU -> MlpStep.LEAKY_ALPHA;
            case ELU -> 1f;
            default -> 0f;
        };
    }

    private static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    private static IntMemoryMap map(int k1, memory m1, int k2, memory m2) {
        IntMemoryMap m = new IntMemoryMap();
        m.put(k1, m1);
        m.put(k2, m2);
        return m;
    }

    private static IntMemoryMap map(int k1, memory m1, int k2, memory m2, int k3, memory m3) {
        IntMemoryMap m = map(k1, m1, k2, m2);
        m.put(k3, m3);
        return m;
    }
}

package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.ModelFamily;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sparksweep.train.Dnnl.args;
import static io.sparksweep.train.Dnnl.desc;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

/**
 * The training step and forward pass of the CNNs SparkSweep builds (convolution + activation + 2x2 max pooling
 * blocks, dense layers, softmax cross-entropy), on oneDNN's primitives called directly through the JavaCPP binding
 * ND4J's oneDNN build links against, on the DL4J network's own parameter and updater-state memory, as
 * {@link MlpStep} does for MLPs.
 *
 * <p>Why: DL4J keeps every activation in plain NCHW and reorders around each oneDNN call (about half of its oneDNN
 * time), computes the first layer's input gradient nobody uses, and pays its per-op bookkeeping. Here activations
 * stay in the layouts the primitives choose (blocked, e.g. {@code nChw16c}) from one block to the next and are
 * reordered once, to plain NCHW before the dense layers ({@link DenseLayers}, OpenBLAS); bias and activation are
 * fused into each convolution; the activation's backward pass reads its output; the first block computes no input
 * gradient; the update is {@link StepUpdate}'s. Primitives are built once per batch size (a full batch, the short
 * last one, evaluation chunks) and trial.
 */
final class CnnStep implements DirectStep {
    /**
     * Evaluation runs in chunks of this many images, small enough for a chunk's activations to stay in the core's
     * cache: chunks of 64 took 0.5-0.75x the time of chunks of 500 for the same images (AMD EPYC with AVX-512).
     */
    private static final int EVAL_CHUNK = 64;
    /** Channels in and out from which a 3x3 convolution is evaluated by Winograd (see {@code winogradPays}). */
    private static final int WINOGRAD_CHANNELS = 32;
    private static final long[] UNIT_STRIDE = {1, 1};
    private static final long[] WINDOW = {2, 2};
    private static final long[] NO_PADDING = {0, 0};

    private final MultiLayerNetwork net;
    private final ActivationKind activation;
    /** The input images' channels, height and width. */
    private final int channels;
    private final int height;
    private final int width;
    private final List<Conv> convs = new ArrayList<>();
    private final DenseLayers dense;
    private final StepUpdate update;
    private final Dnnl dnn = new Dnnl();
    private final Map<Integer, Plan> inference = new HashMap<>();
    private final Map<Integer, Plan> training = new HashMap<>();
    private final TrainingBatch batch;
    private long iteration;

    /**
     * A conv layer's shape, where DL4J keeps its weights ({@code oihw}) and bias, and (when training) their
     * gradients' places.
     */
    private record Conv(int in, int out, int kernel, int padding, int inHeight, int inWidth, int outHeight,
            int outWidth, FloatPointer weights, FloatPointer bias, FloatPointer weightGrads, FloatPointer biasGrads) {
        int pooledHeight() {
            return outHeight / 2;
        }

        int pooledWidth() {
            return outWidth / 2;
        }

        long[] weightDims() {
            return new long[] {out, in, kernel, kernel};
        }

        long[] pad() {
            return new long[] {padding, padding};
        }
    }

    /** Trains {@code net} (which {@link #supports}) on {@code data} in batches of at most {@code maxBatch}. */
    CnnStep(MultiLayerNetwork net, TrialConfig trial, TrainingData data, int maxBatch) {
        this(net, trial, data, maxBatch, new ParamMemory(net, data != null));
    }

    /** @param data the training set, or null for the forward pass alone (no gradients or optimizer state) */
    private CnnStep(MultiLayerNetwork net, TrialConfig trial, TrainingData data, int maxBatch, ParamMemory memory) {
        boolean train = data != null;
        this.net = net;
        this.activation = trial.activation();
        FeedForwardToCnnPreProcessor input = imageInput(net);
        this.channels = (int) input.getNumChannels();
        this.height = (int) input.getInputHeight();
        this.width = (int) input.getInputWidth();
        int skip = readConvs(trial, memory, train);
        this.dense = new DenseLayers(net, skip, activation, memory, train ? maxBatch : 0, EVAL_CHUNK);
        Conv last = convs.get(convs.size() - 1);
        if (dense.inputs() != last.out() * last.pooledHeight() * last.pooledWidth()) {
            throw new IllegalStateException("not a network of conv blocks and dense layers: " + trial.label());
        }
        this.update = train ? new StepUpdate(net, trial, memory) : null;
        this.batch = train ? new TrainingBatch(data, maxBatch) : null;
        this.iteration = net.getIterationCount();
    }

    /** The forward pass alone, over a trained network this step could have trained (a kept model's evaluation). */
    static Evaluator.Predictor predictor(MultiLayerNetwork net, TrialConfig trial) {
        return new CnnStep(net, trial, null, EVAL_CHUNK)::probabilities;
    }

    /** True for networks whose forward pass this class computes: SparkSweep's CNNs on the CPU backend in floats. */
    static boolean supportsForward(MultiLayerNetwork net, TrialConfig trial) {
        return trial.model() == ModelFamily.CNN && NativeRuntime.cpuBackend()
                && net.params().dataType() == DataType.FLOAT && ParamMemory.contiguous(net.params());
    }

    /** True when this class trains {@code net}: {@link #supportsForward} with one optimizer for all parameters. */
    static boolean supports(MultiLayerNetwork net, TrialConfig trial) {
        return supportsForward(net, trial) && StepUpdate.supports(net, trial);
    }

    /** The images' shape, from the preprocessor DL4J puts before the first conv layer (flat CHW rows to NCHW). */
    private static FeedForwardToCnnPreProcessor imageInput(MultiLayerNetwork net) {
        if (!(net.getLayerWiseConfigurations().getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor p)) {
            throw new IllegalStateException("expected images fed as flat rows");
        }
        return p;
    }

    /** Reads the conv layers' shapes and parameter places; returns how many layers (conv and pooling) they span. */
    private int readConvs(TrialConfig trial, ParamMemory memory, boolean train) {
        int h = height;
        int w = width;
        int in = channels;
        int layers = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer) {
                int block = convs.size();
                int k = trial.kernelSizes().get(block);
                int p = trial.padding().get(block);
                int out = trial.convChannels().get(block);
                INDArray weights = layer.getParam("W");
                INDArray b = layer.getParam("b");
                if (weights.ordering() != 'c') {
                    throw new IllegalStateException("expected DL4J's 'c'-order [out, in, kH, kW] conv weights");
                }
                Conv conv = new Conv(in, out, k, p, h, w, h + 2 * p - k + 1, w + 2 * p - k + 1,
                        memory.param(weights, weights.length()), memory.param(b, out),
                        train ? memory.grad(weights, weights.length()) : null, train ? memory.grad(b, out) : null);
                convs.add(conv);
                h = conv.pooledHeight();
                w = conv.pooledWidth();
                in = out;
            } else if (!(layer instanceof SubsamplingLayer)) {
                break;
            }
            layers++;
        }
        if (convs.isEmpty()) {
            throw new IllegalStateException("no conv layers in " + trial.label());
        }
        return layers;
    }

    @Override
    public double fit(int[] order, int from, int count) {
        Plan plan = training.computeIfAbsent(count, n -> new Plan(n, true));
        plan.forward(batch.gather(order, from, count));
        dense.forward(plan.flat, count);
        double loss = dense.lossAndDelta(batch.labels(), order, from, count);
        dense.backward(plan.flat, count, plan.flatDiff);
        plan.backward();
        update.apply(iteration);
        iteration++;
        return loss;
    }

    /** Class probabilities for rows {@code [start, end)} of {@code features} ({@code [n, C * H * W]}), row-major. */
    @Override
    public float[] probabilities(INDArray features, int start, int end) {
        int classes = dense.classes();
        float[] out = new float[(end - start) * classes];
        FloatPointer all = ParamMemory.floats(features);
        for (int from = start; from < end; from += EVAL_CHUNK) {
            int count = Math.min(EVAL_CHUNK, end - from);
            Plan plan = inference.computeIfAbsent(count, n -> new Plan(n, false));
            plan.forward(all.getPointer((long) from * channels * height * width));
            dense.forward(plan.flat, count);
            System.arraycopy(dense.output(count), 0, out, (from - start) * classes, count * classes);
        }
        return out;
    }

    @Override
    public void sync() {
        net.setIterationCount((int) iteration);
    }

    @Override
    public void close() {
        inference.clear();
        training.clear();
        dnn.close();
    }

    /** The primitives and buffers for one batch size, forward only or forward and backward. */
    private final class Plan {
        private final int n;
        private final boolean train;
        /** Each step's reorders of the conv weights, from DL4J's layout into the primitives' (they change each step). */
        private final Dnnl.Program weightsIn = new Dnnl.Program();
        private final Dnnl.Program forwardPass = new Dnnl.Program();
        private final Dnnl.Program backwardPass = new Dnnl.Program();
        private final memory input;
        private final List<Block> blocks = new ArrayList<>();
        /** The last block's pooled output in plain NCHW, {@code [n, features]}: the dense layers' input. */
        private final FloatPointer flat;
        /** The loss gradient with respect to {@code flat}. */
        private final FloatPointer flatDiff;
        private final List<INDArray> owned = new ArrayList<>();

        Plan(int n, boolean train) {
            this.n = n;
            this.train = train;
            input = dnn.wrap(desc(memory.format_tag.nchw, n, channels, height, width), null);
            memory src = input;
            for (Conv c : convs) {
                Block block = new Block(c, src);
                blocks.add(block);
                src = block.pooled;
            }
            Conv last = convs.get(convs.size() - 1);
            memory.desc plain = desc(memory.format_tag.nchw, n, last.out(), last.pooledHeight(), last.pooledWidth());
            flat = buffer((long) n * dense.inputs());
            dnn.copy(src, dnn.wrap(plain, flat), forwardPass);
            flatDiff = train ? buffer((long) n * dense.inputs()) : null;
            if (train) {
                memory diff = dnn.as(dnn.wrap(plain, flatDiff), src.get_desc(), backwardPass);
                for (int b = blocks.size() - 1; b >= 0; b--) {
                    diff = blocks.get(b).backward(diff);
                }
            }
        }

        private FloatPointer buffer(long length) {
            INDArray array = Nd4j.create(DataType.FLOAT, length);
            owned.add(array);
            return ParamMemory.floats(array);
        }

        void forward(Pointer images) {
            input.set_data_handle(images);
            weightsIn.run(dnn.stream);
            forwardPass.run(dnn.stream);
            dnn.stream._wait();
        }

        void backward() {
            backwardPass.run(dnn.stream);
            dnn.stream._wait();
        }

        /** One convolution + activation + pooling block: its forward primitives at once, its backward on request. */
        private final class Block {
            private final Conv c;
            /** What the block reads (the images, or the block before's pooled output), and its conv's view of it. */
            private final memory from;
            private final memory src;
            private final memory weights;
            /** The activation's output. */
            private final memory dst;
            private final memory pooled;
            private final memory workspace;
            private final convolution_forward.primitive_desc convPd;
            private final pooling_forward.primitive_desc poolPd;

            Block(Conv c, memory from) {
                this.c = c;
                this.from = from;
                convPd = convolution(from);
                src = dnn.as(from, convPd.src_desc(), forwardPass);
                weights = dnn.allocate(convPd.weights_desc());
                dnn.copy(dnn.wrap(desc(memory.format_tag.oihw, c.weightDims()), c.weights()), weights, weightsIn);
                memory bias = dnn.wrap(desc(memory.format_tag.x, c.out()), c.bias());
                dst = dnn.allocate(convPd.dst_desc());
                forwardPass.add(dnn.own(new convolution_forward(convPd)),
                        args(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_BIAS, bias, DNNL_ARG_DST, dst));
                poolPd = pooling();
                pooled = dnn.allocate(poolPd.dst_desc());
                workspace = train ? dnn.allocate(poolPd.workspace_desc()) : null;
                forwardPass.add(dnn.own(new pooling_forward(poolPd)), train
                        ? args(DNNL_ARG_SRC, dst, DNNL_ARG_DST, pooled, DNNL_ARG_WORKSPACE, workspace)
                        : args(DNNL_ARG_SRC, dst, DNNL_ARG_DST, pooled));
            }

            private dnnl.prop_kind prop() {
                return train ? dnnl.prop_kind.forward_training : dnnl.prop_kind.forward_inference;
            }

            /**
             * Convolution with bias and activation fused. The first block reads the images as they are (plain
             * NCHW); the others let the convolution choose its input layout: handed the pooling's (say 8 channels
             * padded to 16), it may find only the reference kernel, a hundred times slower. Evaluation takes
             * Winograd where it pays ({@link #winogradPays}) and the machine has it; training stays direct, as DL4J's
             * fit computes it.
             */
            private convolution_forward.primitive_desc convolution(memory from) {
                if (!train && winogradPays()) {
                    try {
                        return convolution(from, dnnl.algorithm.convolution_winograd);
                    } catch (RuntimeException unsupported) {
                        // oneDNN 2.5 has f32 Winograd for AVX-512 only: direct it is
                    }
                }
                return convolution(from, dnnl.algorithm.convolution_direct);
            }

            /**
             * Winograd (4x4 tiles of a 3x3 kernel) for 3x3 kernels between many channels: the wide CNN's 40 to 80
             * channel convolution evaluated in 0.5x the direct kernel's time, the quick CNN's 8 to 16 in 2.7x
             * (AMD EPYC with AVX-512); oneDNN's own choice ({@code convolution_auto}) took it for both.
             */
            private boolean winogradPays() {
                return c.kernel() == 3 && c.in() >= WINOGRAD_CHANNELS && c.out() >= WINOGRAD_CHANNELS;
            }

            private convolution_forward.primitive_desc convolution(memory from, dnnl.algorithm algorithm) {
                memory.desc srcDesc = from == input ? from.get_desc()
                        : desc(memory.format_tag.any, n, c.in(), c.inHeight(), c.inWidth());
                // forward_training for evaluation too: a convolution keeps no workspace, and oneDNN 2.5 answers
                // forward_inference with brgconv kernels that took twice the time per image here (AVX-512)
                convolution_forward.desc conv = new convolution_forward.desc(dnnl.prop_kind.forward_training,
                        algorithm, srcDesc, desc(memory.format_tag.any, c.weightDims()),
                        desc(memory.format_tag.x, c.out()),
                        desc(memory.format_tag.any, n, c.out(), c.outHeight(), c.outWidth()), UNIT_STRIDE, c.pad(),
                        c.pad());
                post_ops ops = new post_ops();
                ops.append_eltwise(1f, Dnnl.forward(activation), Dnnl.alpha(activation), 0f);
                primitive_attr attr = new primitive_attr();
                attr.set_post_ops(ops);
                return new convolution_forward.primitive_desc(conv, attr, dnn.cpu);
            }

            /** 2x2 max pooling of stride 2 into the layout the pooling chooses. */
            private pooling_forward.primitive_desc pooling() {
                pooling_forward.desc pool = new pooling_forward.desc(prop(), dnnl.algorithm.pooling_max,
                        dst.get_desc(), desc(memory.format_tag.any, n, c.out(), c.pooledHeight(), c.pooledWidth()),
                        WINDOW, WINDOW, NO_PADDING, NO_PADDING);
                return new pooling_forward.primitive_desc(pool, dnn.cpu);
            }

            /**
             * Adds the block's backward pass from the loss gradient of its pooled output; returns the gradient of
             * what it read, in that memory's layout (null for the first block: nobody needs the images' gradient).
             */
            memory backward(memory diffPooled) {
                memory diff = poolingBackward(diffPooled);
                activationBackward(diff);
                weightGradients(diff);
                return from == input ? null : dataGradient(diff);
            }

            /** Max pooling's backward pass into a buffer of the conv output's layout. */
            private memory poolingBackward(memory diffPooled) {
                pooling_backward.desc d = new pooling_backward.desc(dnnl.algorithm.pooling_max, dst.get_desc(),
                        pooled.get_desc(), WINDOW, WINDOW, NO_PADDING, NO_PADDING);
                pooling_backward.primitive_desc pd = new pooling_backward.primitive_desc(d, dnn.cpu, poolPd);
                memory diff = dnn.allocate(pd.diff_src_desc());
                backwardPass.add(dnn.own(new pooling_backward(pd)), args(DNNL_ARG_DIFF_DST,
                        dnn.as(diffPooled, pd.diff_dst_desc(), backwardPass), DNNL_ARG_DIFF_SRC, diff,
                        DNNL_ARG_WORKSPACE, workspace));
                return diff;
            }

            /** The activation's backward pass from its output, in place: {@code diff} becomes the pre-activation's. */
            private void activationBackward(memory diff) {
                dnnl.algorithm algorithm = Dnnl.backwardFromOutput(activation);
                float alpha = Dnnl.alpha(activation);
                eltwise_forward.primitive_desc hint = new eltwise_forward.primitive_desc(new eltwise_forward.desc(
                        dnnl.prop_kind.forward_training, algorithm, dst.get_desc(), alpha, 0f), dnn.cpu);
                eltwise_backward.primitive_desc pd = new eltwise_backward.primitive_desc(
                        new eltwise_backward.desc(algorithm, diff.get_desc(), dst.get_desc(), alpha, 0f), dnn.cpu,
                        hint);
                backwardPass.add(dnn.own(new eltwise_backward(pd)),
                        args(DNNL_ARG_DST, dst, DNNL_ARG_DIFF_DST, diff, DNNL_ARG_DIFF_SRC, diff));
            }

            /** The conv's weight and bias gradients, written where DL4J's gradient vector keeps them. */
            private void weightGradients(memory diff) {
                memory.desc biasDesc = desc(memory.format_tag.x, c.out());
                convolution_backward_weights.desc d = new convolution_backward_weights.desc(
                        dnnl.algorithm.convolution_direct, srcAny(), desc(memory.format_tag.any, c.weightDims()),
                        biasDesc, desc(memory.format_tag.any, n, c.out(), c.outHeight(), c.outWidth()), UNIT_STRIDE,
                        c.pad(), c.pad());
                convolution_backward_weights.primitive_desc pd = new convolution_backward_weights.primitive_desc(d,
                        dnn.cpu, convPd);
                memory userGrads = dnn.wrap(desc(memory.format_tag.oihw, c.weightDims()), c.weightGrads());
                memory grads = Dnnl.sameLayout(pd.diff_weights_desc(), userGrads.get_desc()) ? userGrads
                        : dnn.allocate(pd.diff_weights_desc());
                memory biasGrads = dnn.wrap(biasDesc, c.biasGrads());
                if (!Dnnl.sameLayout(pd.diff_bias_desc(), biasDesc)) {
                    throw new IllegalStateException("oneDNN wants a bias gradient layout other than x");
                }
                backwardPass.add(dnn.own(new convolution_backward_weights(pd)), args(DNNL_ARG_SRC,
                        dnn.as(src, pd.src_desc(), backwardPass),
                        DNNL_ARG_DIFF_DST, dnn.as(diff, pd.diff_dst_desc(), backwardPass), DNNL_ARG_DIFF_WEIGHTS,
                        grads, DNNL_ARG_DIFF_BIAS, biasGrads));
                dnn.copy(grads, userGrads, backwardPass);
            }

            /**
             * The conv's input shape in any layout: the backward primitives choose theirs, as the forward ones do;
             * fixing them to the forward's choice can leave only the reference kernel (a hundred times slower).
             */
            private memory.desc srcAny() {
                return desc(memory.format_tag.any, n, c.in(), c.inHeight(), c.inWidth());
            }

            /** The loss gradient with respect to the block's input, in the layout that input has. */
            private memory dataGradient(memory diff) {
                convolution_backward_data.desc d = new convolution_backward_data.desc(
                        dnnl.algorithm.convolution_direct, srcAny(), desc(memory.format_tag.any, c.weightDims()),
                        desc(memory.format_tag.any, n, c.out(), c.outHeight(), c.outWidth()), UNIT_STRIDE, c.pad(),
                        c.pad());
                convolution_backward_data.primitive_desc pd = new convolution_backward_data.primitive_desc(d,
                        dnn.cpu, convPd);
                memory diffSrc = dnn.allocate(pd.diff_src_desc());
                backwardPass.add(dnn.own(new convolution_backward_data(pd)), args(DNNL_ARG_DIFF_DST,
                        dnn.as(diff, pd.diff_dst_desc(), backwardPass), DNNL_ARG_WEIGHTS,
                        dnn.as(weights, pd.weights_desc(), backwardPass), DNNL_ARG_DIFF_SRC, diffSrc));
                return dnn.as(diffSrc, from.get_desc(), backwardPass);
            }
        }
    }
}

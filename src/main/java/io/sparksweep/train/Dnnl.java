package io.sparksweep.train;

import io.sparksweep.spec.ActivationKind;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link CnnStep} needs around the oneDNN binding: descriptors, argument maps, the activations' names, and a
 * program (primitives with their arguments, run in order) that owns the native objects it creates, so a trial's
 * buffers are freed when the trial ends rather than whenever the garbage collector gets to them.
 */
final class Dnnl implements AutoCloseable {
    final engine cpu = new engine(engine.kind.cpu, 0);
    final stream stream = new stream(cpu);
    private final List<Pointer> owned = new ArrayList<>();

    /** A list of primitives and their arguments. */
    static final class Program {
        private final List<primitive> steps = new ArrayList<>();
        private final List<IntMemoryMap> args = new ArrayList<>();

        void add(primitive p, IntMemoryMap a) {
            steps.add(p);
            args.add(a);
        }

        void run(stream s) {
            for (int i = 0; i < steps.size(); i++) {
                steps.get(i).execute(s, args.get(i));
            }
        }
    }

    <T extends Pointer> T own(T pointer) {
        owned.add(pointer);
        return pointer;
    }

    /** A buffer of its own in the layout {@code desc}. */
    memory allocate(memory.desc desc) {
        return own(new memory(desc, cpu));
    }

    /** Memory in the layout {@code desc} over memory someone else owns (null: set before each run). */
    memory wrap(memory.desc desc, Pointer data) {
        return own(new memory(desc, cpu, data));
    }

    /**
     * {@code from} itself when it already has the layout {@code wanted}, else a buffer of that layout that
     * {@code program} fills from it with a reorder.
     */
    memory as(memory from, memory.desc wanted, Program program) {
        if (sameLayout(from.get_desc(), wanted)) {
            return from;
        }
        memory to = allocate(wanted);
        program.add(own(new reorder(from, to)), args(dnnl.DNNL_ARG_FROM, from, dnnl.DNNL_ARG_TO, to));
        return to;
    }

    /** Adds a reorder of {@code from} into {@code to}, unless they are one memory. */
    void copy(memory from, memory to, Program program) {
        if (from != to) {
            program.add(own(new reorder(from, to)), args(dnnl.DNNL_ARG_FROM, from, dnnl.DNNL_ARG_TO, to));
        }
    }

    static boolean sameLayout(memory.desc a, memory.desc b) {
        return dnnl.dnnl_memory_desc_equal(a.data(), b.data()) != 0;
    }

    static memory.desc desc(memory.format_tag tag, long... dims) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /** An argument map from (DNNL_ARG_*, memory) pairs. */
    static IntMemoryMap args(Object... pairs) {
        IntMemoryMap m = new IntMemoryMap();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (memory) pairs[i + 1]);
        }
        return m;
    }

    /** oneDNN's name for the activation, fused into a convolution as a post-op. */
    static dnnl.algorithm forward(ActivationKind activation) {
        return switch (activation) {
            case RELU, LEAKYRELU -> dnnl.algorithm.eltwise_relu;
            case TANH -> dnnl.algorithm.eltwise_tanh;
            case SIGMOID -> dnnl.algorithm.eltwise_logistic;
            case ELU -> dnnl.algorithm.eltwise_elu;
        };
    }

    /** The same activation's backward pass from its output (all five allow it), so its input need not be kept. */
    static dnnl.algorithm backwardFromOutput(ActivationKind activation) {
        return switch (activation) {
            case RELU, LEAKYRELU -> dnnl.algorithm.eltwise_relu_use_dst_for_bwd;
            case TANH -> dnnl.algorithm.eltwise_tanh_use_dst_for_bwd;
            case SIGMOID -> dnnl.algorithm.eltwise_logistic_use_dst_for_bwd;
            case ELU -> dnnl.algorithm.eltwise_elu_use_dst_for_bwd;
        };
    }

    /** The eltwise alpha: leaky ReLU's slope, ELU's scale (DL4J's ELU has alpha 1). */
    static float alpha(ActivationKind activation) {
        return switch (activation) {
            case LEAKYRELU -> DenseLayers.LEAKY_ALPHA;
            case ELU -> 1f;
            default -> 0f;
        };
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}

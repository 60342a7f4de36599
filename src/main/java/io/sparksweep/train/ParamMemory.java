package io.sparksweep.train;

import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J network's flat parameter vector seen from native code, and (when training) a gradient vector of the same
 * layout: where each layer's parameter array lives in it, so a direct step can read weights and write the gradient
 * of exactly those weights at the same offset, and one optimizer update ({@link StepUpdate}) covers them all.
 */
final class ParamMemory {
    // Held so the native memory under the pointers stays allocated.
    private final INDArray params;
    private final INDArray gradient;
    private final FloatPointer paramBase;
    private final FloatPointer gradBase;

    ParamMemory(MultiLayerNetwork net, boolean training) {
        this.params = net.params();
        if (!contiguous(params) || params.dataType() != DataType.FLOAT || params.length() > Integer.MAX_VALUE) {
            throw new IllegalStateException("expected the network's parameters as one row-major float vector");
        }
        this.gradient = training ? Nd4j.zeros(DataType.FLOAT, params.length()) : null;
        this.paramBase = floats(params);
        this.gradBase = training ? floats(gradient) : null;
    }

    int count() {
        return (int) params.length();
    }

    FloatPointer params() {
        return paramBase;
    }

    FloatPointer gradients() {
        return gradBase;
    }

    /** The memory of one of the network's parameter arrays (a view of the flat vector), {@code length} floats. */
    FloatPointer param(INDArray view, long length) {
        return paramBase.getPointer(offset(view, length)).capacity(length);
    }

    /** The gradient memory of the same parameters. */
    FloatPointer grad(INDArray view, long length) {
        return gradBase.getPointer(offset(view, length)).capacity(length);
    }

    /**
     * Where a parameter view starts in the flat vector, checked against the view's own reads: its offset is not
     * an API, and its memory is its elements in its own order ('f' for dense weights, 'c' for convolutions).
     */
    private long offset(INDArray view, long length) {
        if (view.length() != length || view.dataType() != DataType.FLOAT) {
            throw new IllegalStateException("unexpected parameter of " + view.length() + " " + view.dataType());
        }
        INDArray flat = Nd4j.toFlattened(view.ordering(), view);
        long[] probes = {0, length / 2, length - 1, length / 3};
        for (long offset : new long[] {view.offset(), 0}) {
            boolean found = offset + length <= params.length();
            for (long i : probes) {
                found = found && paramBase.get(offset + i) == flat.getFloat(i);
            }
            if (found) {
                return offset;
            }
        }
        throw new IllegalStateException("cannot find a parameter's memory in the network's parameter vector");
    }

    /** A whole array in row-major order: its memory is exactly its elements, from the buffer's start. */
    static boolean contiguous(INDArray array) {
        return !array.isView() && array.ordering() == 'c';
    }

    /** The memory of a whole row-major array, with its length as capacity and position 0. */
    static FloatPointer floats(INDArray array) {
        if (!contiguous(array)) {
            throw new IllegalArgumentException("expected a whole row-major array, got a view or 'f' order");
        }
        FloatPointer pointer = new FloatPointer(array.data().addressPointer());
        pointer.capacity(array.length());
        return pointer;
    }
}

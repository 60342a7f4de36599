package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.OptimizerKind;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * DL4J's SGD, Nesterov momentum and Adam updates, applied to a network's whole flat parameter vector from a
 * gradient of the same layout, in the network's own updater-state memory — so DL4J's {@code fit} (and a checkpoint)
 * continue from where a direct step left off. Used by both direct steps.
 */
final class StepUpdate {
    private final OptimizerKind optimizer;
    private final float learningRate;
    private final float momentum;
    private final ParamMemory memory;
    private final int n;
    private final FloatBuffer params;
    private final FloatBuffer grads;
    private final FloatBuffer state;
    // Held so the native memory under state stays allocated.
    private final INDArray stateArray;

    StepUpdate(MultiLayerNetwork net, TrialConfig trial, ParamMemory memory) {
        this.optimizer = trial.optimizer();
        this.learningRate = (float) trial.learningRate();
        this.momentum = (float) trial.momentum();
        this.memory = memory;
        this.n = memory.count();
        this.params = memory.params().asBuffer();
        this.grads = memory.gradients().asBuffer();
        this.stateArray = net.getUpdater().getStateViewArray();
        this.state = stateArray == null ? null : ParamMemory.floats(stateArray).asBuffer();
    }

    /**
     * True when the network's updater is what this class computes: one updater block for every parameter, with
     * the state it needs (Nesterov's velocity, or Adam's [m, v]) laid out over the whole vector.
     */
    static boolean supports(MultiLayerNetwork net, TrialConfig trial) {
        if (net.getUpdater() instanceof MultiLayerUpdater updater && updater.getUpdaterBlocks().size() > 1) {
            return false;
        }
        INDArray state = net.getUpdater().getStateViewArray();
        long slots = switch (trial.optimizer()) {
            case SGD -> 0;
            case MOMENTUM -> 1;
            case ADAM -> 2;
        };
        return (state == null ? 0 : state.length()) == slots * net.params().length()
                && (state == null || ParamMemory.contiguous(state));
    }

    /** One update from the gradient; {@code iteration} counts the updates before this one (Adam's t - 1). */
    void apply(long iteration) {
        switch (optimizer) {
            case SGD -> openblas_nolapack.cblas_saxpy(n, -learningRate, memory.gradients(), 1, memory.params(), 1);
            case MOMENTUM -> nesterov();
            case ADAM -> adam(iteration + 1);
        }
    }

    /** DL4J's Nesterovs: v' = mu v - lr g; params += (1 + mu) v' - mu v. */
    private void nesterov() {
        float mu = momentum;
        for (int i = 0; i < n; i++) {
            float v = state.get(i);
            float next = mu * v - learningRate * grads.get(i);
            state.put(i, next);
            params.put(i, params.get(i) + (1f + mu) * next - mu * v);
        }
    }

    /** DL4J's Adam (beta1 0.9, beta2 0.999, epsilon 1e-8), state laid out as [m..., v...]. */
    private void adam(long t) {
        double beta1 = 0.9;
        double beta2 = 0.999;
        float epsilon = 1e-8f;
        float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        for (int i = 0; i < n; i++) {
            float g = grads.get(i);
            float m = b1 * state.get(i) + (1 - b1) * g;
            float v = b2 * state.get(n + i) + (1 - b2) * g * g;
            state.put(i, m);
            state.put(n + i, v);
            params.put(i, params.get(i) - alpha * m / ((float) Math.sqrt(v) + epsilon));
        }
    }
}

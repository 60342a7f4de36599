package io.sparksweep.train;

/**
 * A training step SparkSweep computes itself on a DL4J network's own parameter and optimizer memory, instead of
 * DL4J's {@code fit}: {@link MlpStep} for MLPs, {@link CnnStep} for CNNs. The network stays DL4J's (built,
 * initialised, checkpointed by it), so the two loops are interchangeable mid-trial.
 */
interface DirectStep extends Evaluator.Predictor, AutoCloseable {
    /** Trains on rows {@code order[from .. from + count)} of the training set (one step); the batch's mean loss. */
    double fit(int[] order, int from, int count);

    /** Hands the iteration count back to the network, so DL4J (and a checkpoint) continue where this left off. */
    void sync();

    /** Frees native buffers the step holds beyond the network's own. */
    @Override
    void close();
}
